// The demo's synthetic probe: a small local stand-in for support-bot's OpenAI-compatible
// chat endpoint, and a Driftwatch probe that asks it a known question every minute.
// During the scripted incident (prompt v14) the stand-in refuses instead of answering,
// so the probe fails two runs in a row and opens its own incident, which resolves when
// the rollback makes it answer again.
import { createServer } from "node:http";
import { api, writeState } from "./demo-project.mjs";
import { INCIDENT, inIncident } from "./scenario.mjs";

const ANSWER = ["The capital", " of France", " is Paris."];
const REFUSAL = ["I'm sorry,", " but I can't", " help with that."];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts the stand-in endpoint on 127.0.0.1; answers as an OpenAI-compatible SSE stream. */
export async function startFakeAiEndpoint(timeline) {
  const server = createServer(async (req, res) => {
    for await (const _ of req); // drain the request body
    const refusing = inIncident(timeline, INCIDENT.deployment, Date.now());
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const content of refusing ? REFUSAL : ANSWER) {
      await sleep(60);
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The probe definition the demo creates (the README shows the same shape). */
export const demoProbe = (url) => ({
  name: "capital-question",
  deployment: INCIDENT.deployment,
  url,
  template: {
    kind: "openai-chat",
    model: "gpt-4o-mini",
    prompt: "What is the capital of France?",
    api_key: "sk-demo-not-a-real-key-0000",
    stream: true,
  },
  assertions: [
    { type: "icontains", value: "paris" },
    { type: "is-refusal", negate: true },
    { type: "ttft", value: 2000, degraded: 800 },
  ],
  interval_minutes: 1,
  timeout_ms: 10000,
  alert: { consecutive: 2 },
});

/** Creates the demo probe, or points the saved one at this run's endpoint. */
export async function ensureDemoProbe(base, state, url) {
  if (state.probeId) {
    try {
      // The stand-in listens on a new port each run: another origin, so the API wants the
      // probe's secret header given again (it never sends a stored key to a new origin).
      const key = demoProbe(url).template.api_key;
      const { probe } = await api(base, `/v1/probes/${state.probeId}`, state.keys.admin, {
        method: "PATCH",
        body: { url, enabled: true, secret_headers: { authorization: `Bearer ${key}` } },
      });
      return probe;
    } catch (error) {
      if (error.status !== 404) throw error;
    }
  }
  const { probe } = await api(base, "/v1/probes", state.keys.admin, { body: demoProbe(url) });
  state.probeId = probe.id;
  writeState(state);
  return probe;
}

const hhmm = (ms) =>
  new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

/** What the banner adds about the probe. */
export function printDemoProbe({ base, state, probe, timeline }) {
  console.log(`
Synthetic probe  ${probe.id} "${probe.name}" → ${probe.url}
  Every minute it asks a stand-in of ${INCIDENT.deployment} "What is the capital of France?" (streamed),
  checks the answer mentions Paris, is no refusal, and its first token comes within 2 s.
  During the incident the stand-in refuses: after 2 failing runs (~${hhmm(timeline.start + 60_000)}) the sink prints
  "Probe "${probe.name}" is failing", and "passes again" at the rollback (~${hhmm(timeline.end)}).
  Its runs and incident: ${base}/dashboard/probes/${probe.id} (sign in with the read key), or
  curl -s -H "Authorization: Bearer ${state.keys.read}" ${base}/v1/probes/${probe.id}/runs?limit=3`);
}
