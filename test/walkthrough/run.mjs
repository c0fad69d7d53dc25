// Follows the README's "Monitor your own app in 10 minutes" against `wrangler dev` with an
// empty database: project and keys, the SDK packed and installed from its tarball, the
// README's own my-app.mjs run as written, the first checks, the first alert, the status
// page. Part of `npm test`; about a minute (the first alert waits for the next cron minute).
//   node test/walkthrough/run.mjs        WALKTHROUGH_PORT=8824 is wrangler dev's port
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { applyMigrations, startDevServer } from "../../scripts/lib/dev-server.mjs";
import { installApp, packSdk } from "../sdk-package/tarball.mjs";
import { myAppFromReadme, walkthroughSection } from "./readme.mjs";

const PORT = Number(process.env.WALKTHROUGH_PORT ?? 8824);
const MINUTE_MS = 60_000;
const root = join(import.meta.dirname, "../..");
const started = Date.now();
const step = (what) =>
  console.log(`walkthrough: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

const adminToken = () =>
  readFileSync(join(root, ".dev.vars"), "utf8")
    .split("\n")
    .find((line) => line.startsWith("ADMIN_TOKEN="))
    ?.slice("ADMIN_TOKEN=".length)
    .trim();

/** The first `node` on PATH outside node_modules: the one a user's app runs on. */
function userNode() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && !dir.includes("node_modules") && existsSync(join(dir, "node"))) {
      return join(dir, "node");
    }
  }
  return process.execPath;
}

const runNode = (file, cwd, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(userNode(), [file], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${file}: ${out}`))));
  });

/** Polls `read()` until `done(value)`, returning the last value either way. */
async function until(read, done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// The README's shell steps name the very requests this script makes.
const readme = walkthroughSection();
for (const step of [
  "npm start -- --no-demo",
  "$DRIFTWATCH_URL/v1/projects -H",
  "$DRIFTWATCH_URL/v1/projects/$PROJECT/keys",
  "for scope in ingest read admin",
  "cd packages/sdk && npm pack",
  "npm install /path/to/driftwatch/packages/sdk/driftwatch-sdk-0.1.0.tgz",
  "$DRIFTWATCH_URL/__scheduled?cron=*+*+*+*+*",
  "$DRIFTWATCH_URL/v1/deployments/production/my-assistant/checks",
  "$DRIFTWATCH_URL/v1/incidents?status=firing,pending&deployment=my-assistant",
  "curl -X PATCH $DRIFTWATCH_URL/v1/projects/$PROJECT",
  '"slug": "my-app", "title": "My app"',
  '{"environment": "production", "slug": "my-assistant", "name": "Assistant"}',
  "$DRIFTWATCH_URL/status/my-app",
]) {
  assert.ok(readme.includes(step), `the README's walkthrough no longer says ${step}`);
}

const work = mkdtempSync(join(tmpdir(), "driftwatch-walkthrough-"));
let server;
try {
  // 1. Run Driftwatch: an empty local database.
  const persistTo = join(work, "state");
  applyMigrations(persistTo);
  server = await startDevServer({ port: PORT, persistTo, migrate: false });
  const url = server.base;
  const api = async (path, key, { method, body } = {}) => {
    const res = await fetch(url + path, {
      method: method ?? (body ? "POST" : "GET"),
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method ?? "GET"} ${path}: ${res.status} ${text}`);
    return text.startsWith("{") ? JSON.parse(text) : text;
  };
  step(`Driftwatch up at ${url}`);

  // 2. A project and its keys.
  const admin = adminToken();
  const { project } = await api("/v1/projects", admin, { body: { name: "My app" } });
  const keys = {};
  for (const scope of ["ingest", "read", "admin"]) {
    const body = { name: `my-app-${scope}`, scopes: [scope] };
    keys[scope] = (await api(`/v1/projects/${project.id}/keys`, admin, { body })).key.secret;
  }
  step(`project ${project.id} with ingest, read and admin keys`);

  // 3. The SDK, packed and installed from its tarball; 4. the README's my-app.mjs, as written.
  const { tarball } = packSdk(work);
  const app = join(work, "my-app");
  installApp(app, { "package.json": { type: "module" }, "my-app.mjs": myAppFromReadme() }, tarball);
  const env = { ...process.env, DRIFTWATCH_URL: url, DRIFTWATCH_INGEST_KEY: keys.ingest };
  const output = await runNode("my-app.mjs", app, env);
  assert.match(output, /sent: 3600, dropped: 0, failed: 0/, output);
  const deployment = "/v1/deployments/production/my-assistant";
  // Events travel through a queue to the deployment's Durable Object, then its release
  // totals to D1 (which the evaluation reads): poll both before the first tick.
  const count = async () => {
    const w = await api(`${deployment}/window?range=1h`, keys.read).catch(() => null);
    const r = await api(`${deployment}/releases`, keys.read).catch(() => null);
    const released = (r?.releases ?? []).map((x) => `${x.prompt_version}:${x.event_count}`);
    return `${w?.window.summary.count ?? 0} ${released.sort().join(" ")}`;
  };
  const counted = await until(count, (c) => c === "3600 v1:2400 v2:1200", 30_000);
  assert.equal(counted, "3600 v1:2400 v2:1200", "the window and releases count every event");
  step("my-app.mjs sent 3600 events; the window and the releases v1 and v2 count them");

  // 5. The first check: one cron tick, fired as the README says. NOTE: wrangler's
  // /__scheduled ignores any `time` parameter (scheduledTime is always now), so minutes
  // cannot be fast-forwarded: later ticks wait for the clock.
  const tick = async () => {
    const res = await fetch(`${url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    await res.body?.cancel();
    assert.ok(res.ok, `cron tick: ${res.status}`);
  };
  const tickedAt = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  await tick();
  const { checks } = await until(
    () => api(`${deployment}/checks?since=${tickedAt}`, keys.read),
    (answer) => answer.checks.length > 0,
    30_000,
  );
  const outcomes = {};
  for (const check of checks) outcomes[check.outcome] = (outcomes[check.outcome] ?? 0) + 1;
  assert.ok(checks.length > 0, "the first cron tick stores checks for the new deployment");
  step(`first checks: ${JSON.stringify(outcomes)}`);
  const dashboard = await fetch(`${url}/dashboard`);
  await dashboard.body?.cancel();
  assert.equal(dashboard.status, 200, "the dashboard's sign-in page opens");

  // 6. The first alert: v2 is compared with v1's 20 minutes, breaches at the first check and
  // opens incidents (pending while their rules hold `for`); the sequential detectors fire at
  // the next minute's tick. At most 2 more ticks (real minutes: wrangler cannot fast-forward).
  const open = async () =>
    (await api("/v1/incidents?status=firing,pending&deployment=my-assistant", keys.read)).incidents;
  const firing = (list) => list.filter((i) => i.status === "firing").map((i) => i.rule_id);
  assert.ok(
    outcomes.breach > 0,
    `v2 breaches a rule at the first check: ${JSON.stringify(outcomes)}`,
  );
  let incidents = await until(open, (list) => list.length > 0, 10_000);
  for (let k = 1; k <= 2 && !firing(incidents).length; k++) {
    await new Promise((resolve) =>
      setTimeout(resolve, MINUTE_MS - (Date.now() % MINUTE_MS) + 2_000),
    );
    await tick();
    incidents = await until(open, (list) => firing(list).length > 0, 20_000);
  }
  const states = incidents.map((i) => `${i.rule_id} ${i.status}`).join(", ") || "none";
  assert.ok(firing(incidents).length, `no incident fired: ${states}`);
  step(`first alert: ${states}`);

  // 7. The status page.
  await api(`/v1/projects/${project.id}`, keys.admin, {
    method: "PATCH",
    body: {
      status_page: {
        slug: "my-app",
        title: "My app",
        deployments: [{ environment: "production", slug: "my-assistant", name: "Assistant" }],
      },
    },
  });
  const page = await fetch(`${url}/status/my-app`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /My app/);
  assert.match(html, /Assistant/);
  step("status page /status/my-app shows the deployment: ok");
} finally {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}
