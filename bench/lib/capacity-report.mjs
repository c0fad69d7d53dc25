// bench/capacity's arithmetic and its results file: per-event bytes and operations from
// what a run measured, the capacity and cost they imply (capacity-model.mjs), beside the
// figures from before the storage redesign. Pure: no I/O.
import {
  costPerMillion,
  LIMITS,
  langfusePerMillion,
  PRICES,
  perEventAtBatchSize,
  singleEventFloor,
  sustainedRate,
} from "./capacity-model.mjs";
import { singleSection } from "./capacity-single.mjs";

export const RETENTION_DAYS = 30;
/** Assumed wall time an alarm waits for one R2 put (Durable Object duration). */
export const R2_PUT_SECONDS = 0.1;
/**
 * Rows written as src/monitor and src/queue write them: per accepting commit in the
 * object (a consumer's ingest call, or a direct-intake commit), 5 measured by
 * test/monitor/commit-rows.test.ts (ledger run, outbox row, archive sequence, release
 * total, last seen; the windows, arms and spend are written by a later fold, 8 rows for
 * many commits) and 3 later (the run's delete when merged, the outbox row's chunk
 * assignment and delete); estimates from the code: per archive
 * object, its chunk, the rows assigned to it and their delete; in D1 per ingest call the
 * deployment and release upserts, per alarm flush the 1-minute and 1-hour rollups. The
 * ledger's merges are counted from the store: each bucket row there was written at least
 * once in the run.
 */
export const DO_ROWS_PER_INGEST = 8;
export const DO_ROWS_PER_OBJECT = 4;
export const D1_ROWS_PER_INGEST = 2;
export const D1_ROWS_PER_FLUSH = 2;
/** Rollups and the archive flush from each object's alarm at most this often. */
const FLUSH_SECONDS = 30;

export const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "∞";
const usd = (n) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;
const rate = (n) => (Number.isFinite(n) ? `${fmt(n, n < 100 ? 1 : 0)} events/s` : "not bound");

/** {rows, bytes (table + indexes), indexes} per table; ledger_<n> partitions count as one. */
function mergeTables(tableSets, totalBytes) {
  const out = {};
  for (const tables of tableSets) {
    for (const [name, t] of Object.entries(tables)) {
      const key = name.replace(/_\d+$/, "_<n>");
      const acc = out[key] ?? { rows: 0, bytes: 0, indexes: Object.keys(t.indexes).length };
      acc.rows += t.rows;
      acc.bytes += totalBytes(t);
      out[key] = acc;
    }
  }
  return out;
}

/** Sequence numbers an archive key covers (first-last), or 0 for another key. */
function eventsInKey(key) {
  const m = /(\d+)-(\d+)\.ndjson\.gz$/.exec(key);
  return m ? Number(m[2]) - Number(m[1]) + 1 : 0;
}

/** The id ledger's tables (src/monitor/ledger/ledger.ts), which grow with events. */
const isLedger = (name) => name.startsWith("ledger_") && name !== "ledger_partitions";

/** The figures of one run, per event. */
export function measure({ run, single, stores, config }) {
  const total = run.events + single.events;
  const d1Tables = mergeTables([stores.d1.tables], config.totalBytes);
  const doTables = mergeTables(
    stores.dos.map((o) => o.tables),
    config.totalBytes,
  );
  // Tables with at least one row per ten events are what events cost; the others grow
  // with deployments and time (rollups, buckets, configuration).
  const eventScale = (tables) => Object.entries(tables).filter(([, t]) => t.rows >= total / 10);
  const d1Event = eventScale(d1Tables);
  const doEvent = Object.entries(doTables).filter(([n, t]) => isLedger(n) || t.rows >= total / 10);
  // Rows a merge writes per id moved (each bucket row written at least once in the run).
  const mergeRowsPerId = (doTables.ledger_buckets?.rows ?? 0) / run.events;
  const bytesOf = (entries) => entries.reduce((a, [, t]) => a + t.bytes, 0);
  const rowsPerEvent = (entries) =>
    entries.reduce((a, [, t]) => a + (t.rows / total) * (1 + t.indexes), 0);
  const isBeacon = (key) => key.includes(`/${single.slug}/`);
  const r2 = (keep) => {
    const objects = stores.r2Objects.filter((o) => keep(o.key));
    return {
      objects: objects.length,
      bytes: objects.reduce((a, o) => a + o.size, 0),
      events: objects.reduce((a, o) => a + eventsInKey(o.key), 0),
    };
  };
  const r2Batch = r2((k) => !isBeacon(k));
  const r2Beacons = r2(isBeacon);
  const doAll = stores.dos.reduce((a, o) => a + o.fileBytes, 0);
  const bytes = {
    d1: bytesOf(d1Event) / total,
    durableObjects: bytesOf(doEvent) / total,
    r2: (r2Batch.bytes + r2Beacons.bytes) / Math.max(1, r2Batch.events + r2Beacons.events),
  };
  const perPhase = (phase, r2Phase, deployments, requests) => {
    const n = phase.events;
    // Each consumer batch calls each deployment's object it holds events of once; each
    // direct-intake request is one call, and its commits write the rows.
    const intake = phase.intake ?? { requests: 0, commits: 0 };
    const consumerCalls = phase.queue.perBatch.reduce((a, m) => a + Math.min(deployments, m), 0);
    const ingestCalls = consumerCalls + intake.requests;
    const commits = consumerCalls + intake.commits;
    const flushes = Math.ceil(phase.seconds / FLUSH_SECONDS) * deployments;
    const alarms = Math.max(flushes, r2Phase.objects);
    const messageBytes = phase.bodyBytes / Math.max(1, phase.queue.messages);
    return {
      ingestCalls,
      alarms,
      messageBytes,
      per: {
        workerRequests: (requests + phase.queue.batches) / n,
        // Beacons: above a bare route's CPU for as many requests, when measured.
        cpuMs: ((phase.cpuSeconds - (phase.bareCpuSeconds ?? 0)) * 1000) / n,
        queueOps: (phase.queue.messages * 3 * Math.ceil(messageBytes / 64_000)) / n,
        d1RowsWritten:
          rowsPerEvent(d1Event) * 2 +
          ((consumerCalls + (intake.commits > 0 ? alarms : 0)) * D1_ROWS_PER_INGEST +
            alarms * D1_ROWS_PER_FLUSH) /
            n,
        // The tombstone read per batch, the upserts' conflict checks.
        d1RowsRead:
          rowsPerEvent(d1Event) * 2 + (phase.queue.batches + ingestCalls * D1_ROWS_PER_INGEST) / n,
        d1Bytes: bytes.d1,
        doRequests: (ingestCalls + alarms) / n,
        // An execution log per invocation (requests, consumer batches, object calls, alarms)
        // at the production config's share; none with wrangler.toml's invocation_logs = false.
        logEvents:
          ((requests + phase.queue.batches + ingestCalls + alarms) * (config.logShare ?? 0)) / n,
        // Upper bound: all the runtime's CPU as if it were the objects', plus the wait
        // for each R2 put.
        // (never more than the phase's wall time for each object)
        doActiveSeconds:
          Math.min(
            phase.cpuSeconds + r2Phase.objects * R2_PUT_SECONDS,
            phase.seconds * deployments,
          ) / n,
        doRowsWritten:
          rowsPerEvent(eventScale(doTables)) +
          mergeRowsPerId +
          (commits * DO_ROWS_PER_INGEST + r2Phase.objects * DO_ROWS_PER_OBJECT) / n,
        doBytes: bytes.durableObjects,
        r2ClassA: r2Phase.objects / n,
        r2Bytes: r2Phase.bytes / Math.max(1, r2Phase.events),
      },
    };
  };
  return {
    total,
    mergeRowsPerId,
    d1Tables,
    doTables,
    d1Event,
    doEvent,
    doAll,
    doObjects: stores.dos.length,
    r2Batch,
    r2Beacons,
    bytes,
    batch: perPhase(run, r2Batch, config.deployments, run.requests),
    beacons: perPhase(single, r2Beacons, 1, single.events),
  };
}

/**
 * Sustained events/s per store for one deployment, and whether it is shared by all.
 * `objectCpuMs`: CPU per event an object can spend at most (the batch phase's whole
 * runtime CPU per event: the consumer hands objects batches in either phase).
 */
function bounds(m, phase, perEvent, objectCpuMs, keptDays) {
  const eventsPerCall = phase.events / Math.max(1, m[phase.key].ingestCalls);
  const eventsPerMessage = phase.events / Math.max(1, phase.queue.messages);
  return [
    {
      store: "D1 storage",
      limit: "10 GB per database",
      what:
        perEvent.d1Bytes > 0
          ? `${fmt(perEvent.d1Bytes, 0)} B/event × ${RETENTION_DAYS} days`
          : "no per-event rows (configuration, rollups, incidents)",
      rate: sustainedRate(LIMITS.d1DatabaseBytes, perEvent.d1Bytes, RETENTION_DAYS),
      shared: true,
    },
    {
      store: "Durable Object storage",
      limit: "10 GB per object",
      what: `${fmt(perEvent.doBytes, 1)} B/event (id ledger) × ${fmt(keptDays, 2)} days`,
      rate: sustainedRate(LIMITS.doStorageBytes, perEvent.doBytes, keptDays),
      shared: false,
    },
    {
      store: "Durable Object requests",
      limit: "~1,000 requests/s per object (soft)",
      what: `${fmt(eventsPerCall, 0)} events per ingest call`,
      rate: LIMITS.doRequestsPerSecond * eventsPerCall,
      shared: false,
    },
    {
      store: "Durable Object CPU",
      limit: "one thread per object",
      what: `≤ ${fmt(objectCpuMs, 4)} ms per event (the whole runtime's CPU in the batch phase)`,
      rate: 1000 / objectCpuMs,
      shared: false,
    },
    {
      store: "Queues",
      limit: "5,000 messages/s per queue",
      what: `${fmt(eventsPerMessage, eventsPerMessage < 10 ? 1 : 0)} events per message`,
      rate: LIMITS.queueMessagesPerSecond * eventsPerMessage,
      shared: true,
    },
    {
      store: "R2",
      limit: "unlimited storage and objects; 1 write/s per key",
      what: `every flush writes a new key (${fmt(perEvent.r2Bytes, 1)} B/event)`,
      rate: Number.POSITIVE_INFINITY,
      shared: false,
    },
  ];
}

/** Events/s of n deployments: per-deployment bounds scale, shared ones do not. */
function totalRate(list, n) {
  const own = Math.min(...list.filter((b) => !b.shared).map((b) => b.rate)) * n;
  const shared = Math.min(...list.filter((b) => b.shared).map((b) => b.rate));
  return Math.min(own, shared);
}

const binding = (list) => list.reduce((a, b) => (b.rate < a.rate ? b : a));

export function report({ run, single, stores, before, config }) {
  const m = measure({ run, single, stores, config });
  const LEDGER_KEPT_DAYS = config.ledgerKeptDays;
  const batchPhase = { ...run, key: "batch" };
  const beaconPhase = { ...single, key: "beacons" };
  const after = bounds(m, batchPhase, m.batch.per, m.batch.per.cpuMs, LEDGER_KEPT_DAYS);
  const afterBeacons = bounds(m, beaconPhase, m.beacons.per, m.batch.per.cpuMs, LEDGER_KEPT_DAYS);
  const cost = costPerMillion(m.batch.per, RETENTION_DAYS, LEDGER_KEPT_DAYS);
  const costBeacons = costPerMillion(m.beacons.per, RETENTION_DAYS, LEDGER_KEPT_DAYS);
  const costBefore = costPerMillion(before.perEvent, RETENTION_DAYS);
  // Before, a single-event request was one request and one queue message per event.
  const costBeforeBeacons = costPerMillion(
    { ...before.perEvent, workerRequests: 1 + before.perEvent.workerRequests, queueOps: 3 },
    RETENTION_DAYS,
  );
  const beforeD1Rate = sustainedRate(
    LIMITS.d1DatabaseBytes,
    before.bytesPerEvent.d1,
    RETENTION_DAYS,
  );
  const one = binding(after);
  const oneBeacons = binding(afterBeacons);
  const exported = run.exported.reduce((a, e) => a + e.lines, 0);
  const distinct = run.exported.reduce((a, e) => a + e.distinct, 0);
  const archived = m.r2Batch.events + m.r2Beacons.events;
  const N = [1, 10, 100, 1000];
  const lines = [
    "# bench/capacity results",
    "",
    `Run: ${new Date().toISOString()} · Node ${process.version} · **${fmt(run.events)} events** in ${fmt(run.requests)} requests of ${config.batch} over ${config.deployments} deployments, then **${fmt(single.events)} single-event requests** to one more, through local \`wrangler dev\` (workerd with local D1, Queues, Durable Objects and R2) on a shared 2-core machine${run.load ? ` (1-minute load average ${fmt(run.load[0], 1)} at the start, ${fmt(run.load[1], 1)} at the end)` : ""}. Batches: all counted in ${fmt(run.seconds, 1)} s (${fmt(run.counted)} counted); beacons: ${fmt(single.seconds, 1)} s (${fmt(single.counted)} counted). Bytes are SQLite pages (dbstat) of the stores wrangler persisted and the sizes of the R2 objects, after the export flushed every object's archive.`,
    "",
    `Archive check: the export streamed back ${fmt(exported)} events (${fmt(distinct)} distinct ids) of the ${fmt(run.events + single.events)} sent; the R2 keys cover ${fmt(archived)} archive sequence numbers in ${fmt(m.r2Batch.objects + m.r2Beacons.objects)} objects.`,
    "",
    "## Before and after",
    "",
    `Before: the ${before.run.at.slice(0, 10)} run (${fmt(before.run.events)} events), when every event was a D1 row (\`bench/results/capacity-before.json\`). After: this run.`,
    "",
    "| | before | after |",
    "|---|---:|---:|",
    `| D1 bytes per event | ${fmt(before.bytesPerEvent.d1, 1)} | ${fmt(m.bytes.d1, 1)} |`,
    `| Durable Object bytes per event | ${fmt(before.bytesPerEvent.durableObjects, 1)} | ${fmt(m.bytes.durableObjects, 1)} (kept ${fmt(LEDGER_KEPT_DAYS, 2)} days) |`,
    `| R2 bytes per event | ${fmt(before.bytesPerEvent.r2, 1)} | ${fmt(m.bytes.r2, 1)} (kept ${RETENTION_DAYS} days) |`,
    `| one deployment, sustained at ${RETENTION_DAYS}-day retention | ${fmt(beforeD1Rate, 1)} events/s (D1 storage) | **${rate(one.rate)}** (${one.store}) |`,
    ...N.slice(1).map(
      (n) =>
        `| ${fmt(n)} deployments | ${fmt(beforeD1Rate, 1)} events/s in total | ${rate(totalRate(after, n))} in total |`,
    ),
    `| cost per million events, ${config.batch}-event requests | ${usd(costBefore.total)} | **${usd(cost.total)}** |`,
    `| cost per million events, single-event requests | ${usd(costBeforeBeacons.total)} (estimated) | ${usd(costBeacons.total)} |`,
    `| Langfuse Cloud, same volume | ${usd(langfusePerMillion())} | ${usd(langfusePerMillion())} |`,
    "",
    "## Bytes written per event",
    "",
    `**D1: ${fmt(m.bytes.d1, 1)} bytes per event** in tables that grow with events (${describe(m.d1Event)}). **Durable Objects: ${fmt(m.bytes.durableObjects, 1)} bytes per event** in ${describe(m.doEvent)}, kept ${fmt(LEDGER_KEPT_DAYS, 1)} days; all their storage is ${fmt(m.doAll)} bytes in ${m.doObjects} objects, the rest bounded by bucket retention. **R2: ${fmt(m.bytes.r2, 1)} bytes per event** (${fmt(m.r2Batch.bytes + m.r2Beacons.bytes)} bytes in ${fmt(m.r2Batch.objects + m.r2Beacons.objects)} gzip NDJSON objects; ${fmt(m.r2Batch.events / Math.max(1, m.r2Batch.objects), 0)} events per object for the batches, ${fmt(m.r2Beacons.events / Math.max(1, m.r2Beacons.objects), 0)} for the beacons).`,
    "",
    "D1 tables with rows:",
    "",
    tableSizes(m.d1Tables),
    "",
    "Durable Object SQLite storage, all objects (`ledger_*`: the id ledger):",
    "",
    tableSizes(m.doTables),
    "",
    "## Operations counted in the run, per event",
    "",
    `| operation | ${config.batch}-event requests | single-event requests | how it was counted |`,
    "|---|---:|---:|---|",
    `| Workers requests | ${fmt(m.batch.per.workerRequests, 5)} | ${fmt(m.beacons.per.workerRequests, 5)} | ingest requests + consumer invocations (${fmt(run.queue.batches)} and ${fmt(single.queue.batches)} batches, from the runtime's queue log) |`,
    `| Workers CPU (ms) | ${fmt(m.batch.per.cpuMs, 4)} | ${fmt(m.beacons.per.cpuMs, 4)} | CPU time of the whole local runtime (workerd with D1, the Durable Objects and R2 in process), ${fmt(run.cpuSeconds, 1)} s and ${fmt(single.cpuSeconds, 1)} s: an upper bound |`,
    `| Queue operations | ${fmt(m.batch.per.queueOps, 4)} | ${fmt(m.beacons.per.queueOps, 4)} | ${fmt(run.queue.messages)} messages of ~${fmt(m.batch.messageBytes / 1000, 1)} KB and ${fmt(single.queue.messages)} of ~${fmt(m.beacons.messageBytes / 1000, 1)} KB: write + read + delete per 64 KB |`,
    `| Durable Object requests | ${fmt(m.batch.per.doRequests, 5)} | ${fmt(m.beacons.per.doRequests, 5)} | ingest calls (${fmt(m.batch.ingestCalls)} and ${fmt(m.beacons.ingestCalls)}: one per deployment per consumer batch, at most) + alarms (${fmt(m.batch.alarms)} and ${fmt(m.beacons.alarms)}: a flush per ${FLUSH_SECONDS} s per object, at least one per R2 object) |`,
    `| Durable Object active time (s) | ${fmt(m.batch.per.doActiveSeconds, 7)} | ${fmt(m.beacons.per.doActiveSeconds, 7)} | upper bound: all the runtime's CPU, plus ${R2_PUT_SECONDS * 1000} ms per R2 put awaited |`,
    `| Durable Object rows written | ${fmt(m.batch.per.doRowsWritten, 4)} | ${fmt(m.beacons.per.doRowsWritten, 4)} | ~${DO_ROWS_PER_INGEST} per ingest call (outbox row and its chunk assignment and delete, release totals, meta, the ledger's run row and its delete) + ${fmt(m.mergeRowsPerId, 4)} per id for the ledger's merges (its bucket rows) + ~${DO_ROWS_PER_OBJECT} per archive object (chunk, assignment, delete) |`,
    `| D1 rows written | ${fmt(m.batch.per.d1RowsWritten, 5)} | ${fmt(m.beacons.per.d1RowsWritten, 5)} | ${m.d1Event.length ? `${describe(m.d1Event)}: each row and index entry at insert and delete, plus ` : ""}~${D1_ROWS_PER_INGEST} per ingest call (deployment and release upserts) + ~${D1_ROWS_PER_FLUSH} per alarm flush (rollups) |`,
    `| D1 rows read | ${fmt(m.batch.per.d1RowsRead, 5)} | ${fmt(m.beacons.per.d1RowsRead, 5)} | the tombstone read per consumer batch and the upserts' conflict checks |`,
    `| R2 Class A (puts) | ${fmt(m.batch.per.r2ClassA, 6)} | ${fmt(m.beacons.per.r2ClassA, 6)} | ${fmt(m.r2Batch.objects)} and ${fmt(m.r2Beacons.objects)} objects written; retention adds ~720 lists per deployment a month, whatever the volume |`,
    `| Workers Logs events | ${fmt(m.batch.per.logEvents, 5)} | ${fmt(m.beacons.per.logEvents, 5)} | an execution log per invocation (Worker requests, Durable Object requests) times ${fmt(config.logShare ?? 0, 2)}, the share wrangler.toml's production \`observability\` logs (0 with \`invocation_logs = false\`); Driftwatch logs console lines only when something fails |`,
    "",
    `## Capacity at ${RETENTION_DAYS}-day retention (after)`,
    "",
    `With ${config.batch}-event requests:`,
    "",
    capacityTable(after),
    "",
    `**One deployment: ${rate(one.rate)}**, bound by ${one.store}. Per-deployment bounds grow with deployments; the shared ones (one D1 database, one queue) do not: ${N.map((n) => `${fmt(n)} → ${rate(totalRate(after, n))}`).join(", ")}.`,
    "",
    `With single-event requests (${single.queue.messages > 0 ? `${fmt(single.queue.messages)} queue messages` : "straight to the object, no queue message"}):`,
    "",
    capacityTable(afterBeacons),
    "",
    `**One deployment: ${rate(oneBeacons.rate)}**, bound by ${oneBeacons.store}; ${N.map((n) => `${fmt(n)} deployment${n > 1 ? "s" : ""} → ${rate(totalRate(afterBeacons, n))}`).join(", ")}. Each single-event request is one Durable Object request: the object's request limit binds, per deployment.`,
    "",
    "## Cost per million events (list prices, beyond free allowances)",
    "",
    `| item | before, ${config.batch}-event requests | after, ${config.batch}-event requests | after, single-event requests |`,
    "|---|---:|---:|---:|",
    ...Object.keys(cost.lines).map(
      (k) =>
        `| ${k} | ${usd(costBefore.lines[k] ?? 0)} | ${usd(cost.lines[k])} | ${usd(costBeacons.lines[k])} |`,
    ),
    `| **total** | **${usd(costBefore.total)}** | **${usd(cost.total)}** | **${usd(costBeacons.total)}** |`,
    `| Langfuse Cloud, same volume ($8 per 100,000 units, 1 event = 1 unit) | ${usd(langfusePerMillion())} | ${usd(langfusePerMillion())} | ${usd(langfusePerMillion())} |`,
    "",
    `Target ≤ $0.50 per million events, all in: **${cost.total <= 0.5 ? "met" : "not met"}** with ${config.batch}-event requests (${usd(cost.total)}); the largest line is ${largest(cost)}. With single-event requests: ${usd(costBeacons.total)}, the largest line ${largest(costBeacons)}.`,
    "",
    `Assumptions: requests carry ${config.batch} events (the SDK batches by count and time; single-event requests are shown apart); raw events are kept ${RETENTION_DAYS} days in R2 and their ids ${fmt(LEDGER_KEPT_DAYS, 1)} days in the Durable Object; every price is the marginal list price at volume (no free allowance). The before column prices the before run's counts with the same model (Durable Object duration was not counted then, and is negligible). Single-event requests cost more for what each request and each queue message costs on its own: $${PRICES.workersRequestsPerM.toFixed(2)} per million requests and three queue operations per message.`,
    "",
    singleSection({
      m: { ...m, beaconRate: afterBeacons.find((b) => b.store === "Durable Object storage").rate },
      single,
      before: config.singleBefore,
      window: config.window,
      rowsPerCommit: DO_ROWS_PER_INGEST,
      retentionDays: RETENTION_DAYS,
      keptDays: LEDGER_KEPT_DAYS,
    }),
    "",
    "### Cost by events per request",
    "",
    costByBatchSize(m, config.batch, LEDGER_KEPT_DAYS, costBeacons),
    "",
    "Langfuse counts a trace, each observation in it and each score as a unit, so one traced LLM call (a trace and a generation) is usually 2 units, $160 per million; its rate falls to $6 per 100,000 units past 50 million units a month.",
    "",
    "## Sources (limits and prices as published)",
    "",
    "- D1 limits (10 GB per database): https://developers.cloudflare.com/d1/platform/limits/",
    "- D1 pricing (rows read $0.001/M, rows written $1.00/M, storage $0.75/GB-month; index entries count as rows written): https://developers.cloudflare.com/d1/platform/pricing/",
    "- Durable Objects limits (10 GB per object): https://developers.cloudflare.com/durable-objects/platform/limits/",
    "- Durable Objects soft limit of 1,000 requests/s per object: https://developers.cloudflare.com/durable-objects/reference/faq/",
    "- Durable Objects pricing (requests $0.15/M, each RPC call and alarm a request; duration $12.50 per million GB-s at 128 MB while active, none while idle and hibernatable; SQLite rows written $1.00/M, storage $0.20/GB-month): https://developers.cloudflare.com/durable-objects/platform/pricing/",
    "- Queues limits (5,000 messages/s per queue, 128 KB per message, retention up to 14 days): https://developers.cloudflare.com/queues/platform/limits/",
    "- Queues pricing ($0.40 per million operations, one per 64 KB written, read or deleted): https://developers.cloudflare.com/queues/platform/pricing/",
    "- Workers pricing (Standard: $0.30 per million requests, $0.02 per million CPU ms): https://developers.cloudflare.com/workers/platform/pricing/",
    "- R2 limits (unlimited storage and objects per bucket; 1 concurrent write per second to the same key): https://developers.cloudflare.com/r2/platform/limits/",
    "- R2 pricing ($0.015/GB-month; Class A $4.50/M: put, list; Class B $0.36/M: get; deletes free): https://developers.cloudflare.com/r2/pricing/",
    "- Langfuse Cloud pricing ($8 per 100,000 units beyond the plan): https://langfuse.com/pricing",
    "",
  ];
  return lines.join("\n");
}

const BATCH_SIZES = [1, 2, 3, 5, 10, 50, 500];

/** Cost per million events at several request sizes, and the floor for one event per request. */
function costByBatchSize(m, batch, keptDays, costSingle) {
  const costs = BATCH_SIZES.map((k) => ({
    k,
    cost: costPerMillion(
      perEventAtBatchSize(k, m.batch.per, batch, m.beacons.per),
      RETENTION_DAYS,
      keptDays,
    ),
  }));
  const smallest = costs.find((c) => c.cost.total <= 0.5);
  const floor = singleEventFloor();
  return [
    `Each operation split into a part paid per request and a part paid per event, solved from the two measured modes (1 and ${batch} events per request):`,
    "",
    `| events per request | ${BATCH_SIZES.join(" | ")} |`,
    `|---|${BATCH_SIZES.map(() => "---:").join("|")}|`,
    `| cost per million events | ${costs.map((c) => usd(c.cost.total)).join(" | ")} |`,
    `| of which Workers requests and Queue operations | ${costs.map((c) => usd(c.cost.lines["Workers requests"] + c.cost.lines["Queue operations"])).join(" | ")} |`,
    "",
    `The target is met from **${smallest ? fmt(smallest.k) : "none"} events per request** up. One event per request cannot meet it on these list prices, whatever the design, as long as a request is answered only once its event is stored: the Worker request alone costs $${PRICES.workersRequestsPerM.toFixed(2)} per million, and the cheapest durable hand-off after it is a Durable Object call ($${PRICES.doRequestsPerM.toFixed(2)} per million) writing at least one SQLite row ($${PRICES.doRowsWrittenPerM.toFixed(2)} per million): $${floor.durableObject.toFixed(2)} per million, or $${floor.requestAlone.toFixed(2)} before any row if an object combined the rows of many requests (each waiting for the others); a queue message is three operations, $${floor.queue.toFixed(2)} with the request. Driftwatch's single-event path is the queue one (${usd(costSingle.total)} measured, of which Workers requests and Queue operations ${usd(costSingle.lines["Workers requests"] + costSingle.lines["Queue operations"])}). The SDK sends batches (50 events or 2 s in browsers and Node); a Worker instrumented with the SDK sends once per invocation (\`waitUntil\`), so a Worker serving one AI call per request pays the single-event price.`,
  ].join("\n");
}

function largest(cost) {
  const [name, value] = Object.entries(cost.lines).reduce((a, b) => (b[1] > a[1] ? b : a));
  return `${name} (${usd(value)}, ${fmt((100 * value) / cost.total, 0)} %)`;
}

function describe(entries) {
  return entries.map(([n, t]) => `${n} (${t.indexes} indexes)`).join(", ") || "none";
}

/** Rows and bytes of each table that has rows, as a markdown table. */
function tableSizes(tables) {
  return [
    "| table | rows | bytes (with indexes) |",
    "|---|---:|---:|",
    ...Object.entries(tables)
      .filter(([, t]) => t.rows > 0)
      .map(([n, t]) => `| ${n} | ${fmt(t.rows)} | ${fmt(t.bytes)} |`),
  ].join("\n");
}

function capacityTable(list) {
  return [
    "| store | published limit | what binds | 1 deployment | N deployments |",
    "|---|---|---|---:|---:|",
    ...list.map(
      (b) =>
        `| ${b.store} | ${b.limit} | ${b.what} | ${rate(b.rate)} | ${Number.isFinite(b.rate) ? (b.shared ? "the same, in total" : "× N") : "–"} |`,
    ),
  ].join("\n");
}
