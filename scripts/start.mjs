// `npm start`: runs Driftwatch locally (wrangler dev: local D1, Queues, Durable Objects) and
// fires its cron trigger every minute. Unless `--no-demo`, it also seeds a demo project with
// a week of history, starts a local Slack webhook sink and a traffic simulator with a
// scripted incident, and prints the URLs, the keys and what to expect when.
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { ensureDemoProbe, printDemoProbe, startFakeAiEndpoint } from "./lib/demo-probe.mjs";
import {
  closeOpenIncidents,
  ensureProject,
  ensureSlackChannel,
  ensureStatusPage,
  writeState,
} from "./lib/demo-project.mjs";
import { announceDemoRelease } from "./lib/demo-release.mjs";
import { startDevServer } from "./lib/dev-server.mjs";
import { HISTORY_DAYS, incidentTimeline } from "./lib/scenario.mjs";
import { loadSdk } from "./lib/sdk-bundle.mjs";
import { seedHistory } from "./lib/seed-history.mjs";
import { startSimulator } from "./lib/simulator.mjs";
import { printBanner, printDemo, time } from "./lib/start-banner.mjs";
import { startTicker } from "./lib/ticker.mjs";
import { startWebhookSink } from "./lib/webhook-sink.mjs";

const MINUTE_MS = 60_000;
const noDemo = process.argv.includes("--no-demo");
const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;

function adminToken() {
  const line = readFileSync(".dev.vars", "utf8")
    .split("\n")
    .find((l) => l.startsWith("ADMIN_TOKEN="));
  return line?.slice("ADMIN_TOKEN=".length).trim() ?? "";
}

mkdirSync(".driftwatch", { recursive: true });
const wranglerLog = createWriteStream(".driftwatch/wrangler.log");
console.log(`Starting Driftwatch on ${origin} (wrangler dev; its log: .driftwatch/wrangler.log)…`);
const server = await startDevServer({
  port,
  // Alert links point at this server, whatever the port.
  vars: { PUBLIC_URL: origin },
  onLog: (s) => {
    wranglerLog.write(s);
    if (process.env.DEBUG) process.stdout.write(s);
  },
});
const { base } = server;

let demo = null;
const ticker = startTicker(base, {
  onTick: (minute, ok, tookMs) => demo?.onTick(minute, ok, tookMs),
});

async function startDemo() {
  const { state, fresh } = await ensureProject(base, adminToken());
  const sink = await startWebhookSink();
  const channel = await ensureSlackChannel(base, state, sink.url);
  const statusPage = await ensureStatusPage(base, state);
  const now = Date.now();
  const from = Math.max(
    state.historyUntil ?? 0,
    now - HISTORY_DAYS * 24 * 60 * MINUTE_MS + 10 * MINUTE_MS,
  );
  console.log(
    fresh
      ? "Seeding a week of demo history through the ingest API…"
      : `Topping up demo history since ${new Date(from).toLocaleString()}…`,
  );
  const seeded = await seedHistory(base, state.keys, from, now);
  state.historyUntil = now;
  writeState(state);
  const closed = fresh ? 0 : await closeOpenIncidents(base, state);
  const sdk = await loadSdk();
  const timeline = incidentTimeline(Date.now());
  // A probe asks a stand-in of support-bot a known question every minute; it fails during the incident.
  const aiEndpoint = await startFakeAiEndpoint(timeline);
  const probe = await ensureDemoProbe(base, state, aiEndpoint.url);
  // The pipeline announces v14 before its canary: this run's verdict, whatever earlier runs decided.
  await announceDemoRelease(base, state);
  const simulator = startSimulator({
    sdk,
    endpoint: base,
    key: state.keys.ingest,
    timeline,
    log: (line) => console.log(`${time(Date.now())}  ${line}`),
  });
  const remember = () => {
    state.historyUntil = Date.now();
    writeState(state);
  };
  return {
    state,
    sink,
    simulator,
    info: { fresh, channel, sinkUrl: sink.url, seeded, timeline, closed, probe, statusPage },
    onTick(minute, ok, tookMs) {
      remember();
      const s = simulator.stats();
      const phase =
        minute > timeline.start && minute <= timeline.end
          ? " · support-bot incident running"
          : minute > timeline.canary && minute <= timeline.start
            ? " · support-bot canary running"
            : "";
      // A tick can take minutes while wrangler reloads the Worker after a source edit.
      const slow = tookMs > 30_000 ? ` (answered after ${Math.round(tookMs / 1000)} s)` : "";
      console.log(
        `${time(minute)}  cron tick ${ok ? "ok" : "failed"}${slow} · ${s.interactions.toLocaleString()} interactions, ${s.thumbs.toLocaleString()} thumbs sent so far${phase}`,
      );
    },
    async stop() {
      await simulator.stop();
      await aiEndpoint.close();
      remember();
      await sink.close();
    },
  };
}

let stopping = false;
const shutdown = async () => {
  if (stopping) process.exit(1); // A second Ctrl+C does not wait.
  stopping = true;
  console.log("\nStopping…");
  ticker.stop();
  await demo?.stop();
  await server.stop();
  wranglerLog.end();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

if (!noDemo) demo = await startDemo();
printBanner({ base, adminToken: adminToken() });
if (demo) printDemo({ base, ...demo.info, state: demo.state });
if (demo) printDemoProbe({ base, ...demo.info, state: demo.state });
console.log("\nPress Ctrl+C to stop.\n");
