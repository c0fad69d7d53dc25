// `npm start`: runs Driftwatch locally (wrangler dev: local D1, Queues, Durable
// Objects), seeds a demo project with history, keeps light demo traffic flowing,
// fires the cron trigger every minute, and prints the URLs and keys.
// `npm start -- --no-demo` runs the product alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { DEMO_DEPLOYMENTS, demoEvent } from "./lib/demo-data.mjs";
import { startDevServer } from "./lib/dev-server.mjs";

const noDemo = process.argv.includes("--no-demo");
const port = Number(process.env.PORT ?? 8787);
const STATE = ".driftwatch/demo.json";

function adminToken() {
  const line = readFileSync(".dev.vars", "utf8")
    .split("\n")
    .find((l) => l.startsWith("ADMIN_TOKEN="));
  return line?.slice("ADMIN_TOKEN=".length).trim() ?? "";
}

async function api(base, path, key, body) {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function seedProject(base, admin) {
  if (existsSync(STATE)) {
    const saved = JSON.parse(readFileSync(STATE, "utf8"));
    const check = await fetch(`${base}/v1/deployments`, {
      headers: { authorization: `Bearer ${saved.keys.read}` },
    });
    if (check.ok) return { ...saved, fresh: false };
  }
  const { project } = await api(base, "/v1/projects", admin, { name: "Demo" });
  const keys = {};
  for (const scope of ["ingest", "read", "admin"]) {
    keys[scope] = (
      await api(base, `/v1/projects/${project.id}/keys`, admin, {
        name: `demo-${scope}`,
        scopes: [scope],
      })
    ).key.secret;
  }
  mkdirSync(".driftwatch", { recursive: true });
  const state = { projectId: project.id, keys };
  writeFileSync(STATE, JSON.stringify(state, null, 2));
  return { ...state, fresh: true };
}

async function sendEvents(base, key, events) {
  for (let i = 0; i < events.length; i += 500) {
    await api(base, "/v1/events", key, { events: events.slice(i, i + 500) });
  }
}

/** Two hours of history, 20 interactions a minute per deployment. */
function history(now) {
  const events = [];
  for (let m = 120; m >= 1; m--) {
    for (const d of DEMO_DEPLOYMENTS) {
      for (let i = 0; i < 20; i++) events.push(demoEvent(d, now - m * 60_000 + i * 3_000));
    }
  }
  return events;
}

const server = await startDevServer({
  port,
  onLog: (s) => process.env.DEBUG && process.stdout.write(s),
});
const { base } = server;
const tickTimer = setInterval(() => {
  fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => {});
}, 60_000);
let trafficTimer;
let state;
if (!noDemo) {
  state = await seedProject(base, adminToken());
  if (state.fresh) await sendEvents(base, state.keys.ingest, history(Date.now()));
  trafficTimer = setInterval(() => {
    const now = Date.now();
    const events = DEMO_DEPLOYMENTS.flatMap((d) =>
      Array.from({ length: 2 }, () => demoEvent(d, now)),
    );
    sendEvents(base, state.keys.ingest, events).catch((err) =>
      console.error("demo traffic:", err.message),
    );
  }, 6_000);
}

console.log(`
Driftwatch is running locally (local D1, Queues and Durable Objects in workerd).

  API            ${base}
  Health         ${base}/healthz
  Cron tick      ${base}/__scheduled   (fired every minute by this script)
  Admin token    ${adminToken()}   (from .dev.vars)`);
if (state) {
  console.log(`
  Demo project   ${state.projectId}
  Ingest key     ${state.keys.ingest}
  Read key       ${state.keys.read}
  Admin key      ${state.keys.admin}
  Deployments    ${DEMO_DEPLOYMENTS.map((d) => d.slug).join(", ")} (environment: production)

  Try:
    curl -s -H "Authorization: Bearer ${state.keys.read}" ${base}/v1/deployments
    curl -s -H "Authorization: Bearer ${state.keys.read}" "${base}/v1/deployments/production/support-bot/window?range=1h"
    curl -s -X POST -H "Authorization: Bearer ${state.keys.ingest}" -H "content-type: application/json" \\
      -d '{"deployment":"support-bot","latency_ms":812,"model":"gpt-4o-mini","input_tokens":900,"output_tokens":150}' \\
      ${base}/v1/events`);
}
console.log("\nPress Ctrl+C to stop.");

const shutdown = async () => {
  clearInterval(tickTimer);
  clearInterval(trafficTimer);
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
