// Runs the demo traffic simulator alone against a Driftwatch that is already running:
//   node scripts/simulate.mjs [--endpoint http://127.0.0.1:8787] [--key <ingest key>]
//                             [--incident-in <seconds>]
// Defaults: PORT's local server and the ingest key of .driftwatch/demo.json (`npm start`).
import { parseArgs } from "node:util";
import { readState } from "./lib/demo-project.mjs";
import { INCIDENT, incidentTimeline } from "./lib/scenario.mjs";
import { loadSdk } from "./lib/sdk-bundle.mjs";
import { startSimulator } from "./lib/simulator.mjs";
import { time } from "./lib/start-banner.mjs";

const { values } = parseArgs({
  options: {
    endpoint: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 8787}` },
    key: { type: "string" },
    "incident-in": { type: "string" },
  },
});
const key = values.key ?? readState()?.keys?.ingest;
if (!key) {
  console.error("No ingest key: pass --key, or run `npm start` once to create the demo project.");
  process.exit(2);
}
const liveStart = Date.now();
const lead = values["incident-in"] === undefined ? undefined : Number(values["incident-in"]);
const timeline = incidentTimeline(liveStart, lead);
const simulator = startSimulator({
  sdk: await loadSdk(),
  endpoint: values.endpoint,
  key,
  timeline,
  log: (line) => console.log(`${time(Date.now())}  ${line}`),
});
console.log(
  `Sending demo traffic to ${values.endpoint}; ${INCIDENT.deployment} canary ${time(timeline.canary)}, incident ${time(timeline.start)}-${time(timeline.end)}. Ctrl+C stops.`,
);
const timer = setInterval(() => {
  const s = simulator.stats();
  console.log(
    `${time(Date.now())}  ${s.interactions} interactions, ${s.thumbs} thumbs, ${s.sent} events sent, ${s.dropped} dropped`,
  );
}, 60_000);
process.on("SIGINT", async () => {
  clearInterval(timer);
  await simulator.stop();
  process.exit(0);
});
