// bench/capacity: bytes written per event in each store and the operations behind
// them, measured from the local stores after a run of events through the real path
// (POST /v1/events → queue → D1 → Durable Object), then the capacity and cost per
// million events those figures imply on Cloudflare's published limits and prices.
// Re-run it after a storage redesign: it reads whatever tables the stores hold.
// Usage: npm run bench:capacity [-- --events 200000 --deployments 4 --batch 500 --port 8830]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_DEPLOYMENTS, demoEvent } from "../scripts/lib/demo-data.mjs";
import { startDevServer } from "../scripts/lib/dev-server.mjs";
import {
  costPerMillion,
  LIMITS,
  langfusePerMillion,
  sustainedRate,
} from "./lib/capacity-model.mjs";
import { fileBytesUnder, query, sizesOf, sqliteFiles, totalBytes } from "./lib/sqlite-sizes.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg("events", 200_000);
const DEPLOYMENTS = arg("deployments", 4);
const BATCH = arg("batch", 500);
const CONCURRENCY = arg("concurrency", 4);
const RETENTION_DAYS = 30;
const ADMIN = "bench-admin-token";

/** CPU seconds used so far by a process and all its descendants (Linux /proc). */
function treeCpuSeconds(rootPid) {
  const stats = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
      stats.set(Number(name), {
        ppid: Number(fields[1]),
        cpu: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop();
    ticks += stats.get(pid)?.cpu ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  return ticks / 100; // USER_HZ
}

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

const persistTo = mkdtempSync(join(tmpdir(), "driftwatch-capacity-"));
const server = await startDevServer({
  port: arg("port", 8830),
  persistTo,
  vars: { ADMIN_TOKEN: ADMIN },
});
const { base } = server;
let run;
try {
  const post = (path, key, body) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
  const { project } = await json(
    await post("/v1/projects", ADMIN, JSON.stringify({ name: "capacity" })),
  );
  const keyOf = async (scopes) =>
    (await json(await post(`/v1/projects/${project.id}/keys`, ADMIN, JSON.stringify({ scopes }))))
      .key.secret;
  const ingest = await keyOf(["ingest"]);
  const read = await keyOf(["read"]);
  const slugs = Array.from({ length: DEPLOYMENTS }, (_, i) => `capacity-${i}`);
  const d = DEMO_DEPLOYMENTS[0];
  // 16 bodies per deployment, cycled; events carry no id, so the server gives each its own.
  const bodies = slugs.map((slug) =>
    Array.from({ length: 16 }, () =>
      JSON.stringify({
        events: Array.from({ length: BATCH }, () => demoEvent(d, Date.now(), { deployment: slug })),
      }),
    ),
  );
  const requests = Math.ceil(EVENTS / BATCH);
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
  const windowCount = async (slug) => {
    const res = await fetch(`${base}/v1/deployments/production/${slug}/window?range=1h`, {
      headers: { authorization: `Bearer ${read}` },
    });
    return res.ok ? (await res.json()).window.summary.count : 0;
  };
  const expected = slugs.map(
    (_, s) => Math.floor(requests / DEPLOYMENTS) + (s < requests % DEPLOYMENTS ? 1 : 0),
  );
  let counted = 0;
  const deadline = performance.now() + 900_000;
  while (performance.now() < deadline) {
    const counts = await Promise.all(slugs.map(windowCount));
    counted = counts.reduce((a, b) => a + b, 0);
    if (counts.every((c, s) => c >= (expected[s] ?? 0) * BATCH)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = treeCpuSeconds(server.child.pid) - cpuBefore;
  // Let the Durable Objects' alarms flush the last rollups (30 s after a change).
  await new Promise((r) => setTimeout(r, 35_000));
  run = { events: requests * BATCH, counted, requests, seconds, cpuSeconds, bodyBytes };
} finally {
  await server.stop();
}

const files = sqliteFiles(join(persistTo, "v3")).filter((f) => !f.endsWith("metadata.sqlite"));
const d1File = files.find((f) => f.includes(join("v3", "d1")));
const doFiles = files.filter((f) => f.includes("DeploymentMonitor"));
if (!d1File) throw new Error("no local D1 database found");
const d1 = sizesOf(d1File);
const dos = doFiles.map((f) => ({ file: f, ...sizesOf(f) }));
// Claim tokens applied in the objects: one per consumer batch that reached them.
const tokens = new Set(
  dos
    .filter((o) => o.tables.applied_tokens)
    .flatMap((o) => query(o.file, "SELECT token FROM applied_tokens").map((r) => r.token)),
);
// R2 objects are blob files beside the bucket's SQLite metadata.
const r2Bytes = fileBytesUnder(join(persistTo, "v3", "r2"), (f) => !f.includes(".sqlite"));
const applies = dos.reduce((a, o) => a + (o.tables.applied_tokens?.rows ?? 0), 0);
const avgEventJson = d1.tables.events
  ? Number(query(d1File, "SELECT avg(length(data)) AS n FROM events")[0]?.n ?? 0)
  : 0;
rmSync(persistTo, { recursive: true, force: true });

const N = run.events;
// Tables that grow with the event count (at least one row per ten events) are what
// events cost; the others grow with deployments and time (rollups, buckets, config).
// Read from the stores, so a redesign that moves events elsewhere is measured as is.
/** {rows, bytes (table + indexes), indexes (count)} per table name. */
const summarize = (tables) =>
  Object.fromEntries(
    Object.entries(tables).map(([n, t]) => [
      n,
      { rows: t.rows, bytes: totalBytes(t), indexes: Object.keys(t.indexes).length },
    ]),
  );
const doTables = {};
for (const o of dos)
  for (const [name, t] of Object.entries(summarize(o.tables))) {
    const acc = doTables[name] ?? { rows: 0, bytes: 0, indexes: t.indexes };
    acc.rows += t.rows;
    acc.bytes += t.bytes;
    doTables[name] = acc;
  }
const eventScale = (tables) => Object.entries(tables).filter(([, t]) => t.rows >= N / 10);
const d1EventTables = eventScale(summarize(d1.tables));
const doEventTables = eventScale(doTables);
const bytesOf = (entries) => entries.reduce((a, [, t]) => a + t.bytes, 0);
/** Rows written per event: the row and each index entry, at insert and again at expiry. */
const rowsWrittenOf = (entries) =>
  entries.reduce((a, [, t]) => a + (t.rows / N) * (1 + t.indexes) * 2, 0);
const describeTables = (entries) =>
  entries.map(([n, t]) => `${n} (${t.indexes} indexes)`).join(", ") || "none";
const doBytes = dos.reduce((a, o) => a + o.fileBytes, 0);
// Queue: the ingest route packs a request's events into messages of at most 100 KB.
const eventJson = avgEventJson || run.bodyBytes / N;
const messagesPerRequest = Math.ceil((BATCH * (eventJson + 2)) / 100_000);
const messageBytes = (BATCH * (eventJson + 2)) / messagesPerRequest;
const messages = run.requests * messagesPerRequest;
const claims = tokens.size;
// Per event, over its life (D1 and DO SQLite count every index entry as a row written).
const perEvent = {
  workerRequests: (run.requests + claims) / N,
  cpuMs: (run.cpuSeconds * 1000) / N,
  queueOps: (messages * 3 * Math.ceil(messageBytes / 64_000)) / N,
  d1RowsWritten: rowsWrittenOf(d1EventTables) + (claims * (2 + DEPLOYMENTS * 3)) / N,
  d1RowsRead: 2 + claims / N,
  d1Bytes: bytesOf(d1EventTables) / N,
  doRequests: applies / N,
  doRowsWritten: rowsWrittenOf(doEventTables) + (applies * 5) / N,
  doBytes: bytesOf(doEventTables) / N,
  r2Bytes: r2Bytes / N,
  // NOTE: R2 writes are not counted yet (none before the archive exists).
  r2Writes: 0,
};
const cost = costPerMillion(perEvent, RETENTION_DAYS);
const eventsPerApply = applies > 0 ? N / applies : Number.NaN;
const eventsPerMessage = N / messages;
const d1Rate = sustainedRate(LIMITS.d1DatabaseBytes, perEvent.d1Bytes, RETENTION_DAYS);
const doRate = sustainedRate(LIMITS.doStorageBytes, perEvent.doBytes, RETENTION_DAYS);
/** Sustained events/s each store allows at this retention, and whether it grows with deployments. */
const bounds = [
  { store: "D1 storage (one database for all deployments)", rate: d1Rate, perDeployment: false },
  { store: "Durable Object storage", rate: doRate, perDeployment: true },
  {
    store: "Durable Object requests",
    rate: LIMITS.doRequestsPerSecond * eventsPerApply,
    perDeployment: true,
  },
  { store: "Queues", rate: LIMITS.queueMessagesPerSecond * (N / messages), perDeployment: false },
].filter((b) => Number.isFinite(b.rate));
const binding = bounds.reduce((a, b) => (b.rate < a.rate ? b : a));
const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (n) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;

const conclusion = `${binding.store} binds first: ${fmt(binding.rate, 1)} events/s sustained at ${RETENTION_DAYS}-day retention${
  binding.perDeployment
    ? " per deployment, growing linearly with deployments."
    : ", for all deployments together: it does not grow with deployments."
}${
  binding.store.startsWith("D1")
    ? ` At ${fmt(perEvent.d1Bytes, 0)} bytes per event, one 10 GB database holds ${fmt(LIMITS.d1DatabaseBytes / perEvent.d1Bytes / 1e6, 1)} million events.`
    : ""
}`;
const d1Rows = Object.entries(d1.tables)
  .filter(([, t]) => t.rows > 0)
  .map(([name, t]) => {
    const idx = Object.entries(t.indexes)
      .map(([i, b]) => `${i} ${fmt(b)}`)
      .join(", ");
    return `| ${name} | ${fmt(t.rows)} | ${fmt(t.bytes)} | ${idx || "–"} | ${fmt(totalBytes(t))} | ${t.rows >= N / 10 ? `**${fmt(totalBytes(t) / N, 1)}**` : ""} |`;
  });
const lines = [
  "# bench/capacity results",
  "",
  `Run: ${new Date().toISOString()} · Node ${process.version} · **${fmt(N)} events** (${fmt(run.requests)} requests of ${BATCH}, ${DEPLOYMENTS} deployments, one project) through local \`wrangler dev\` (workerd with local D1, Queues and Durable Objects) on a shared 2-core machine; all counted in ${fmt(run.seconds, 1)} s (${fmt(run.counted)} counted). Bytes are SQLite pages (dbstat) of the stores wrangler persisted, after the Durable Objects' alarms flushed rollups.`,
  "",
  "## Bytes written per event",
  "",
  `**D1: ${fmt(perEvent.d1Bytes, 1)} bytes per event** in the tables that grow with events: ${describeTables(d1EventTables)}${avgEventJson ? ` (the normalised event JSON averages ${fmt(avgEventJson)} bytes)` : ""}. **Durable Objects: ${fmt(perEvent.doBytes, 1)} bytes per event** in such tables (${describeTables(doEventTables)}); all their storage, ${fmt(doBytes)} bytes in ${dos.length} objects, is otherwise bounded by bucket retention (1-minute buckets 2 h, 1-hour buckets 35 days), not by the event count. **R2: ${fmt(r2Bytes / N, 1)} bytes per event** (${fmt(r2Bytes)} bytes of objects).`,
  "",
  "D1, per table (bytes):",
  "",
  "| table | rows | table bytes | index bytes | total | bytes per event |",
  "|---|---:|---:|---|---:|---:|",
  ...d1Rows,
  "",
  "Durable Object SQLite storage, all objects:",
  "",
  "| table | rows | bytes |",
  "|---|---:|---:|",
  ...Object.entries(doTables).map(([n, t]) => `| ${n} | ${fmt(t.rows)} | ${fmt(t.bytes)} |`),
  "",
  "## Operations counted in the run, per event",
  "",
  "| operation | per event | how it was counted |",
  "|---|---:|---|",
  `| Workers requests | ${fmt(perEvent.workerRequests, 5)} | ${fmt(run.requests)} ingest requests + ${fmt(claims)} consumer invocations (claim tokens applied in the Durable Objects) |`,
  `| Workers CPU | ${fmt(perEvent.cpuMs, 4)} ms | CPU time of the whole local runtime (workerd with D1 and the Durable Objects in process): ${fmt(run.cpuSeconds, 1)} s; an upper bound |`,
  `| Queue operations | ${fmt(perEvent.queueOps, 4)} | ${fmt(messages)} messages of ~${fmt(messageBytes / 1000, 1)} KB (${fmt(eventsPerMessage, 0)} events each), write + read + delete per 64 KB |`,
  `| D1 rows written | ${fmt(perEvent.d1RowsWritten, 2)} | in ${describeTables(d1EventTables)}: the row and each index entry, written at insert and again at the retention delete; claims and deployment/release upserts per batch |`,
  `| D1 rows read | ${fmt(perEvent.d1RowsRead, 2)} | conflict check at insert, the purge's scan |`,
  `| Durable Object requests | ${fmt(perEvent.doRequests, 5)} | ${fmt(applies)} apply RPCs (${fmt(eventsPerApply, 0)} events each); alarms and evaluation reads are per deployment-minute, not per event |`,
  `| Durable Object rows written | ${fmt(perEvent.doRowsWritten, 5)} | ~5 per apply (1-minute and 1-hour bucket, token, its expiry)${doEventTables.length ? `, and in ${describeTables(doEventTables)} the row and each index entry at insert and at expiry` : ""} |`,
  "",
  `## Capacity at ${RETENTION_DAYS}-day retention`,
  "",
  "| store | published limit | what binds | 1 deployment | N deployments |",
  "|---|---|---|---:|---:|",
  `| D1 storage | 10 GB per database | ${fmt(perEvent.d1Bytes, 0)} B/event × ${RETENTION_DAYS} days | **${fmt(d1Rate, 1)} events/s** | ${fmt(d1Rate, 1)} events/s in total (one database for all) |`,
  `| D1 writes | one writer per database | measured end to end here: ${fmt(N / run.seconds)} events/s | ${fmt(N / run.seconds)} events/s | the same, in total |`,
  `| Durable Object requests | ~1,000 requests/s per object (soft) | ${fmt(eventsPerApply, 0)} events per apply | ${fmt(LIMITS.doRequestsPerSecond * eventsPerApply)} events/s | × N |`,
  perEvent.doBytes > 0
    ? `| Durable Object storage | 10 GB per object | ${fmt(perEvent.doBytes, 0)} B/event × ${RETENTION_DAYS} days | ${fmt(sustainedRate(LIMITS.doStorageBytes, perEvent.doBytes, RETENTION_DAYS), 1)} events/s | × N |`
    : `| Durable Object storage | 10 GB per object | bounded by bucket retention (${fmt(doBytes / dos.length)} B per object here) | not binding | not binding |`,
  `| Queues | 5,000 messages/s per queue | ${fmt(eventsPerMessage, 0)} events per message | ${fmt(LIMITS.queueMessagesPerSecond * eventsPerMessage)} events/s | the same, per queue |`,
  r2Bytes > 0
    ? `| R2 | see R2 limits | ${fmt(perEvent.r2Bytes, 1)} B/event | – | – |`
    : "| R2 | not used | – | – | – |",
  "",
  conclusion,
  "",
  "## Cost per million events (list prices, beyond free allowances)",
  "",
  "| item | $ per million events |",
  "|---|---:|",
  ...Object.entries(cost.lines).map(([k, v]) => `| ${k} | ${usd(v)} |`),
  `| **total** | **${usd(cost.total)}** |`,
  `| Langfuse Cloud, same volume ($8 per 100,000 units, 1 event = 1 unit) | ${usd(langfusePerMillion())} |`,
  "",
  "Langfuse counts a trace, each observation in it and each score as a unit, so one traced LLM call (a trace and a generation) is usually 2 units, $160 per million; its rate falls to $6 per 100,000 units past 50 million units a month.",
  "",
  `Storage is charged for ${RETENTION_DAYS} days of retention. Requests assume batches of ${BATCH} events; single-event beacons add $0.30 per million events in Workers requests.`,
  "",
  "## Sources (limits and prices as published)",
  "",
  "- D1 limits (10 GB per database): https://developers.cloudflare.com/d1/platform/limits/",
  "- D1 pricing (rows read $0.001/M, rows written $1.00/M, storage $0.75/GB-month; index entries count as rows written): https://developers.cloudflare.com/d1/platform/pricing/",
  "- Durable Objects limits (10 GB per object): https://developers.cloudflare.com/durable-objects/platform/limits/",
  "- Durable Objects soft limit of 1,000 requests/s per object: https://developers.cloudflare.com/durable-objects/reference/faq/",
  "- Durable Objects pricing (requests $0.15/M; SQLite rows written $1.00/M, storage $0.20/GB-month): https://developers.cloudflare.com/durable-objects/platform/pricing/",
  "- Queues limits (5,000 messages/s per queue, 128 KB per message, retention up to 14 days): https://developers.cloudflare.com/queues/platform/limits/",
  "- Queues pricing ($0.40 per million operations, one per 64 KB written, read or deleted): https://developers.cloudflare.com/queues/platform/pricing/",
  "- Workers pricing (Standard: $0.30 per million requests, $0.02 per million CPU ms): https://developers.cloudflare.com/workers/platform/pricing/",
  "- R2 pricing ($0.015/GB-month, Class A $4.50/M): https://developers.cloudflare.com/r2/pricing/",
  "- Langfuse Cloud pricing ($8 per 100,000 units beyond the plan): https://langfuse.com/pricing",
  "",
];
const out = lines.join("\n");
console.log(out);
writeFileSync(join("bench", "results", "capacity.md"), out);
