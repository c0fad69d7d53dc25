// bench/capacity: bytes written per event in each store and the operations behind
// them, measured from the local stores after a run of events through the real path
// (POST /v1/events → queue → Durable Object → R2 archive), then the capacity and cost
// per million events those figures imply on Cloudflare's published limits and prices,
// beside the figures from before the storage redesign (bench/results/capacity-before.json).
// It reads whatever tables the stores hold, so it measures any write path as it is.
// Two phases: `--events` in batches of `--batch` over `--deployments` deployments, then
// `--single` single-event requests to one more deployment (beacons), measured apart.
// Usage: npm run bench:capacity [-- --events 200000 --deployments 4 --batch 500 --single 20000]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { DEMO_DEPLOYMENTS, demoEvent } from "../scripts/lib/demo-data.mjs";
import { startDevServer } from "../scripts/lib/dev-server.mjs";
import { executionLogShare } from "./lib/capacity-model.mjs";
import { fmt, report } from "./lib/capacity-report.mjs";
import { treeCpuSeconds } from "./lib/process-cpu.mjs";
import { sourceConstants } from "./lib/source-constants.mjs";
import { query, sizesOf, sqliteFiles, totalBytes } from "./lib/sqlite-sizes.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg("events", 200_000);
const DEPLOYMENTS = arg("deployments", 4);
const BATCH = arg("batch", 500);
const SINGLE = arg("single", 20_000);
const CONCURRENCY = arg("concurrency", 4);
const ADMIN = "bench-admin-token";
const TELEMETRY_QUEUE = "driftwatch-telemetry-dev";

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Consumer invocations and messages per queue, from the local runtime's log lines
 * ("QUEUE <name> <acked>/<total> (<ms>)"), one per batch delivered to a consumer.
 */
function queueCounter() {
  const counts = { batches: 0, messages: 0, perBatch: [] };
  let partial = "";
  const onLog = (chunk) => {
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
      const m = /QUEUE (\S+) (\d+)\/(\d+)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
      if (!m || m[1] !== TELEMETRY_QUEUE) continue;
      counts.batches++;
      counts.messages += Number(m[3]);
      counts.perBatch.push(Number(m[3]));
    }
  };
  const snapshot = () => ({ ...counts, perBatch: [...counts.perBatch] });
  return { onLog, snapshot };
}

/** Lines and distinct event ids of a deployment's export over [from, to). */
async function exportCount(base, key, slug, from, to) {
  const url = `${base}/v1/events/export?deployment=${slug}&from=${from}&to=${to}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`export ${slug}: ${res.status} ${await res.text()}`);
  const ids = new Set();
  let lines = 0;
  let rest = "";
  for await (const text of res.body.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + text).split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      if (line.length === 0) continue;
      lines++;
      ids.add(JSON.parse(line).id);
    }
  }
  return { lines, distinct: ids.size };
}

const queues = queueCounter();
const persistTo = mkdtempSync(join(tmpdir(), "driftwatch-capacity-"));
const server = await startDevServer({
  port: arg("port", 8830),
  persistTo,
  vars: { ADMIN_TOKEN: ADMIN, BENCH_ROUTES: "1" },
  onLog: queues.onLog,
  // wrangler dev's local trace collector would add its own CPU to every invocation's.
  localTraces: false,
});
const { base } = server;
const post = (path, key, body) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body,
  });
const windowCount = async (read, slug) => {
  const res = await fetch(`${base}/v1/deployments/production/${slug}/window?range=1h`, {
    headers: { authorization: `Bearer ${read}` },
  });
  return res.ok ? (await res.json()).window.summary.count : 0;
};
/** Waits until every deployment's window counts its expected events (15 min at most). */
async function waitCounted(read, slugs, expected) {
  const deadline = performance.now() + 900_000;
  let counts = [];
  while (performance.now() < deadline) {
    counts = await Promise.all(slugs.map((s) => windowCount(read, s)));
    if (counts.every((c, i) => c >= expected[i])) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return counts.reduce((a, b) => a + b, 0);
}

let run;
let single;
try {
  const { project } = await json(
    await post("/v1/projects", ADMIN, JSON.stringify({ name: "capacity" })),
  );
  const keyOf = async (scopes) =>
    (await json(await post(`/v1/projects/${project.id}/keys`, ADMIN, JSON.stringify({ scopes }))))
      .key.secret;
  const ingest = await keyOf(["ingest"]);
  const read = await keyOf(["read"]);
  const d = DEMO_DEPLOYMENTS[0];
  const from = Date.now() - 60_000;

  // Phase 1: batches. 16 bodies per deployment, cycled; events carry no id, so the
  // server gives each its own.
  const slugs = Array.from({ length: DEPLOYMENTS }, (_, i) => `capacity-${i}`);
  const bodies = slugs.map((slug) =>
    Array.from({ length: 16 }, () =>
      JSON.stringify({
        events: Array.from({ length: BATCH }, () => demoEvent(d, Date.now(), { deployment: slug })),
      }),
    ),
  );
  const requests = Math.ceil(EVENTS / BATCH);
  const loadAtStart = loadavg()[0];
  const cpuBefore = treeCpuSeconds(server.child.pid);
  const started = performance.now();
  let next = 0;
  let bodyBytes = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        const i = next++;
        const body = bodies[i % DEPLOYMENTS][Math.floor(i / DEPLOYMENTS) % 16];
        bodyBytes += body.length;
        await json(await post("/v1/events", ingest, body));
      }
    }),
  );
  const expected = slugs.map(
    (_, s) => (Math.floor(requests / DEPLOYMENTS) + (s < requests % DEPLOYMENTS ? 1 : 0)) * BATCH,
  );
  const counted = await waitCounted(read, slugs, expected);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = treeCpuSeconds(server.child.pid) - cpuBefore;
  const queue = queues.snapshot();

  // Phase 2: single-event beacons to one more deployment (straight to its object), and
  // as many to a bare route, whose CPU is the runtime's own per request.
  const beaconSlug = "capacity-beacons";
  const SINGLE_CONNECTIONS = 8;
  const cpuBeforeBare = treeCpuSeconds(server.child.pid);
  let bareSent = 0;
  await Promise.all(
    Array.from({ length: SINGLE_CONNECTIONS }, async () => {
      while (bareSent < SINGLE) {
        bareSent++;
        const body = JSON.stringify(demoEvent(d, Date.now(), { deployment: beaconSlug }));
        await json(await post("/__bench/bare", ingest, body));
      }
    }),
  );
  const bareCpu = treeCpuSeconds(server.child.pid) - cpuBeforeBare;
  const cpuBeforeSingle = treeCpuSeconds(server.child.pid);
  const startedSingle = performance.now();
  let sent = 0;
  let beaconBytes = 0;
  await Promise.all(
    Array.from({ length: SINGLE_CONNECTIONS }, async () => {
      while (sent < SINGLE) {
        sent++;
        const body = JSON.stringify(demoEvent(d, Date.now(), { deployment: beaconSlug }));
        beaconBytes += body.length;
        await json(await post("/v1/events", ingest, body));
      }
    }),
  );
  const countedSingle = SINGLE > 0 ? await waitCounted(read, [beaconSlug], [SINGLE]) : 0;
  const singleSeconds = (performance.now() - startedSingle) / 1000;
  const singleCpu = treeCpuSeconds(server.child.pid) - cpuBeforeSingle;
  const queueAfter = queues.snapshot();
  const intake = await json(
    await fetch(`${base}/__bench/intake/${project.id}:production:${beaconSlug}`),
  );

  // The archive: the export flushes each object's pending events first, then streams
  // every event back; each must be there exactly once.
  const to = Date.now() + 60_000;
  const exported = [];
  for (const slug of [...slugs, ...(SINGLE > 0 ? [beaconSlug] : [])]) {
    exported.push({ slug, ...(await exportCount(base, read, slug, from, to)) });
  }
  run = {
    load: [loadAtStart, loadavg()[0]],
    events: requests * BATCH,
    counted,
    requests,
    seconds,
    cpuSeconds,
    bodyBytes,
    queue,
    exported,
  };
  single = {
    slug: beaconSlug,
    events: SINGLE,
    counted: countedSingle,
    seconds: singleSeconds,
    cpuSeconds: singleCpu,
    bareCpuSeconds: bareCpu,
    connections: SINGLE_CONNECTIONS,
    intake,
    bodyBytes: beaconBytes,
    queue: {
      batches: queueAfter.batches - queue.batches,
      messages: queueAfter.messages - queue.messages,
      perBatch: queueAfter.perBatch.slice(queue.perBatch.length),
    },
  };
} finally {
  await server.stop();
}

const files = sqliteFiles(join(persistTo, "v3")).filter((f) => !f.endsWith("metadata.sqlite"));
const d1File = files.find((f) => f.includes(join("v3", "d1")));
if (!d1File) throw new Error("no local D1 database found");
const doFiles = files.filter((f) => f.includes("DeploymentMonitor"));
// R2's local implementation keeps each bucket's object index in SQLite (_mf_objects).
const r2Index = files.find(
  (f) => f.includes(join("v3", "r2")) && Object.hasOwn(sizesOf(f).tables, "_mf_objects"),
);
const r2Objects = r2Index ? query(r2Index, "SELECT key, size FROM _mf_objects") : [];
const stores = {
  d1: sizesOf(d1File),
  dos: doFiles.map((f) => ({ file: f, ...sizesOf(f) })),
  r2Objects,
};
rmSync(persistTo, { recursive: true, force: true });

const before = JSON.parse(readFileSync(join("bench", "results", "capacity-before.json"), "utf8"));
// An id is kept KEEP_MS after it was recorded, in hourly partitions dropped whole.
const { KEEP_MS, PARTITION_MS, intakeRule } = await sourceConstants();
const singleBefore = JSON.parse(
  readFileSync(join("bench", "results", "capacity-single-before.json"), "utf8"),
);
const ledgerKeptDays = (KEEP_MS + PARTITION_MS) / 86_400_000;
const out = report({
  run,
  single,
  stores,
  before,
  config: {
    batch: BATCH,
    deployments: DEPLOYMENTS,
    totalBytes,
    ledgerKeptDays,
    singleBefore,
    window: intakeRule,
    logShare: executionLogShare(parse(readFileSync("wrangler.toml", "utf8")), "production"),
  },
});
console.log(out);
writeFileSync(join("bench", "results", "capacity.md"), out);
console.log(`exported: ${JSON.stringify(run.exported)}; ${fmt(run.counted)} counted`);
