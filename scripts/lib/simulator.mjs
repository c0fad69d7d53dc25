// The demo traffic simulator: plays the scenario's deployments through the real SDK at their
// live rates, with users' thumbs arriving seconds later as feedback(), and runs the scripted
// incident. support-bot uses an instrumented OpenAI-compatible client, summarizer the same
// client streaming, and rag-search calls track() itself to add retrieval scores and tags.
import { createFakeOpenAI } from "./fake-llm.mjs";
import {
  DEPLOYMENTS,
  drawInteraction,
  ENVIRONMENT,
  INCIDENT,
  nextArrivalMs,
  servesIncident,
  toEvent,
} from "./scenario.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts sending. `sdk` is the bundled @driftwatch/sdk module; `timeline` the incident's
 * {start, end}. Returns {stats(), stop()}; stop() flushes what the SDK still holds.
 */
export function startSimulator({ sdk, endpoint, key, timeline, rng = Math.random, log }) {
  const timers = new Set();
  let stopped = false;
  const later = (ms, fn) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  };
  const counts = { interactions: 0, thumbs: 0, errors: 0 };
  let lastErrorLog = 0;
  const onError = (slug) => (error) => {
    // The SDK retries 429/5xx itself; say so at most every 30 s rather than per batch, and
    // not at all once stopping (Ctrl+C stops the server at the same time).
    if (stopped || Date.now() - lastErrorLog < 30_000) return;
    lastErrorLog = Date.now();
    log(
      `simulator: ${slug}: ${error.status || "network"} ${error.message} (${error.count} events)`,
    );
  };

  const players = DEPLOYMENTS.map((d) => {
    const monitor = sdk.createNodeMonitor({
      endpoint,
      key,
      deployment: d.slug,
      environment: ENVIRONMENT,
      onError: onError(d.slug),
    });
    const draws = new WeakMap();
    const clients = new Map();
    // One instrumented client per prompt version, as an app redeploys with a new prompt.
    const clientFor = (version) => {
      let client = clients.get(version);
      if (!client) {
        client = sdk.instrumentOpenAI(
          createFakeOpenAI((body) => draws.get(body)),
          monitor,
          { event: { provider: d.provider, prompt_version: version } },
        );
        clients.set(version, client);
      }
      return client;
    };
    const call = async (draw) => {
      if (d.style === "manual") {
        await sleep(draw.latency_ms);
        const {
          feedback: _f,
          ts: _t,
          deployment: _d,
          environment: _e,
          ...event
        } = toEvent(d, draw, 0);
        return monitor.track(event);
      }
      const body = {
        model: d.model,
        messages: [
          { role: "system", content: `${d.slug} prompt ${draw.prompt_version}` },
          { role: "user", content: "How do I reset my password?" },
        ],
        stream: d.style === "stream",
      };
      draws.set(body, draw);
      try {
        const result = await clientFor(draw.prompt_version).chat.completions.create(body);
        if (body.stream) for await (const _chunk of result);
        return sdk.eventIdOf(result);
      } catch {
        counts.errors++; // The app shows its error page; the SDK has recorded the failure.
        return undefined;
      }
    };
    const arrive = () => {
      later(nextArrivalMs(rng, d.perSecond), () => {
        const v14 = servesIncident(timeline, d.slug, Date.now(), rng);
        const draw = drawInteraction(d, rng, v14);
        counts.interactions++;
        call(draw).then((id) => {
          if (!id || draw.thumbs === 0) return;
          // The user reads the answer, then presses a thumb.
          later(2_000 + rng() * 15_000, () => {
            counts.thumbs++;
            monitor.feedback(id, draw.thumbs);
          });
        });
        arrive();
      });
    };
    arrive();
    return monitor;
  });

  const bot = DEPLOYMENTS.find((d) => d.slug === INCIDENT.deployment);
  const share = Math.round(INCIDENT.canaryShare * 100);
  later(Math.max(0, timeline.canary - Date.now()), () =>
    log(
      `simulator: ${INCIDENT.deployment} starts a ${share} % canary of prompt ${INCIDENT.prompt_version} (was ${bot?.prompt_version}): its answers ~${INCIDENT.outputScale}x longer, thumbs-down ${Math.round((bot?.thumbsDown ?? 0) * 100)} % -> ${Math.round(INCIDENT.thumbsDown * 100)} % of answers`,
    ),
  );
  later(Math.max(0, timeline.start - Date.now()), () =>
    log(
      `simulator: ${INCIDENT.deployment} rolls prompt ${INCIDENT.prompt_version} out to everyone (the rollout does not wait for its verdict)`,
    ),
  );
  later(Math.max(0, timeline.end - Date.now()), () =>
    log(`simulator: ${INCIDENT.deployment} rolls back to prompt ${bot?.prompt_version}`),
  );

  return {
    stats() {
      const sdkStats = players.map((m) => m.stats());
      const sum = (k) => sdkStats.reduce((n, s) => n + s[k], 0);
      return { ...counts, sent: sum("sent"), dropped: sum("dropped"), failed: sum("failed") };
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Flush what is queued, but do not wait on retries against a server that is going away.
      await Promise.race([Promise.all(players.map((m) => m.close())), sleep(3_000)]);
    },
  };
}
