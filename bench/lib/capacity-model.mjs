// The capacity and cost model of bench/capacity: Cloudflare's published limits and list
// prices (Workers Paid), and what measured bytes and operations per event imply.
// Pure functions; the sources are cited in bench/results/capacity.md.

export const LIMITS = {
  d1DatabaseBytes: 10e9, // D1: 10 GB per database (Workers Paid)
  doStorageBytes: 10e9, // SQLite-backed Durable Object: 10 GB per object
  doRequestsPerSecond: 1_000, // Durable Object: soft limit of 1,000 requests/s per object
  queueMessagesPerSecond: 5_000, // Queues: 5,000 messages/s per queue
  queueMessageBytes: 128_000, // Queues: 128 KB per message
  // R2: storage and object count per bucket unlimited; 1 write/s to the same key (ours
  // are unique per flush), so R2 bounds neither rate nor retention here.
};

export const PRICES = {
  workersRequestsPerM: 0.3, // Workers Standard: $0.30 per million requests
  workersCpuMsPerM: 0.02, // $0.02 per million CPU ms
  queueOpsPerM: 0.4, // Queues: $0.40 per million operations (per 64 KB written, read or deleted)
  d1RowsReadPerM: 0.001, // D1: $0.001 per million rows read
  d1RowsWrittenPerM: 1.0, // D1: $1.00 per million rows written (an index entry is a row)
  d1StorageGbMonth: 0.75, // D1: $0.75 per GB-month
  doRequestsPerM: 0.15, // Durable Objects: $0.15 per million requests (RPC calls, alarms)
  doDurationPerMGbS: 12.5, // Durable Objects: $12.50 per million GB-s of wall time while active
  doMemoryGb: 0.128, // Durable Objects: duration is billed at 128 MB per object
  doRowsWrittenPerM: 1.0, // DO SQLite: $1.00 per million rows written
  doStorageGbMonth: 0.2, // DO SQLite: $0.20 per GB-month
  r2StorageGbMonth: 0.015, // R2: $0.015 per GB-month
  r2ClassAPerM: 4.5, // R2: $4.50 per million Class A (put, list)
  r2ClassBPerM: 0.36, // R2: $0.36 per million Class B (get)
  workersLogsPerM: 0.6, // Workers Logs: $0.60 per million log events beyond 20 million a month
  langfusePer100kUnits: 8, // Langfuse Cloud: $8 per 100,000 units beyond the plan
};

const SECONDS_PER_DAY = 86_400;

/** Sustained events/s that fill `capacityBytes` at `bytesPerEvent` kept `keptDays`. */
export function sustainedRate(capacityBytes, bytesPerEvent, keptDays) {
  if (bytesPerEvent <= 0) return Number.POSITIVE_INFINITY;
  return capacityBytes / (bytesPerEvent * keptDays * SECONDS_PER_DAY);
}

/**
 * Cost of one million events from per-event operation counts (list prices, free
 * allowances ignored: the marginal cost at volume). Storage is charged for as long as
 * it is kept: raw events (D1 before, R2 after) for the retention, the Durable Objects'
 * per-event storage (the id ledger) for `doKeptDays`.
 */
export function costPerMillion(per, retentionDays, doKeptDays = retentionDays) {
  const m = 1e6;
  const months = (days) => days / 30;
  const lines = {
    "Workers requests": per.workerRequests * m * (PRICES.workersRequestsPerM / 1e6),
    "Workers CPU": per.cpuMs * m * (PRICES.workersCpuMsPerM / 1e6),
    "Queue operations": per.queueOps * m * (PRICES.queueOpsPerM / 1e6),
    "D1 rows written": per.d1RowsWritten * m * (PRICES.d1RowsWrittenPerM / 1e6),
    "D1 rows read": per.d1RowsRead * m * (PRICES.d1RowsReadPerM / 1e6),
    "D1 storage": ((per.d1Bytes * m) / 1e9) * months(retentionDays) * PRICES.d1StorageGbMonth,
    "Durable Object requests": per.doRequests * m * (PRICES.doRequestsPerM / 1e6),
    "Durable Object duration":
      per.doActiveSeconds * PRICES.doMemoryGb * m * (PRICES.doDurationPerMGbS / 1e6),
    "Durable Object rows written": per.doRowsWritten * m * (PRICES.doRowsWrittenPerM / 1e6),
    "Durable Object storage":
      ((per.doBytes * m) / 1e9) * months(doKeptDays) * PRICES.doStorageGbMonth,
    "R2 Class A (puts, lists)": per.r2ClassA * m * (PRICES.r2ClassAPerM / 1e6),
    "R2 storage": ((per.r2Bytes * m) / 1e9) * months(retentionDays) * PRICES.r2StorageGbMonth,
    "Workers Logs": (per.logEvents ?? 0) * m * (PRICES.workersLogsPerM / 1e6),
  };
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  return { lines, total };
}

/**
 * The share of invocations (the Worker's requests, each Durable Object call and alarm) that
 * write an execution log to Workers Logs, from a wrangler config's `observability` (an
 * environment's own, or the top level's it inherits): none when observability or its logs
 * are off or `invocation_logs = false`, else the head sampling rate. Console lines are
 * logged too, but Driftwatch writes them only when something fails.
 */
export function executionLogShare(config, env) {
  const obs = config.env?.[env]?.observability ?? config.observability;
  if (!obs?.enabled && !obs?.logs?.enabled) return 0;
  const logs = obs.logs ?? {};
  if (logs.enabled === false || logs.invocation_logs === false) return 0;
  return logs.head_sampling_rate ?? obs.head_sampling_rate ?? 1;
}

/** What a user pays Langfuse Cloud for a million events beyond the plan (1 event = 1 unit). */
export const langfusePerMillion = () => (1e6 / 100_000) * PRICES.langfusePer100kUnits;

/**
 * Per-event operations at `k` events per request, from the two measured modes: each
 * operation is a part paid per request (a) and a part paid per event (b), per = a/k + b,
 * solved from p(1) = a + b and p(batch) = a/batch + b. Storage is per event (b only).
 */
export function perEventAtBatchSize(k, batchPer, batchSize, singlePer) {
  const out = {};
  for (const [op, batched] of Object.entries(batchPer)) {
    const single = singlePer[op] ?? batched;
    const a = ((single - batched) * batchSize) / (batchSize - 1);
    const b = batched - a / batchSize;
    out[op] = Math.max(0, a / k + b);
  }
  return out;
}

/**
 * The least a request carrying one event can cost, per million events, on any design
 * that answers only once the event is stored: the Worker request, then the cheapest
 * durable hand-off on these prices, a Durable Object call that writes one SQLite row
 * (a queue message is three operations: write, read, delete).
 */
export const singleEventFloor = () => ({
  durableObject: PRICES.workersRequestsPerM + PRICES.doRequestsPerM + PRICES.doRowsWrittenPerM,
  queue: PRICES.workersRequestsPerM + 3 * PRICES.queueOpsPerM,
  requestAlone: PRICES.workersRequestsPerM + PRICES.doRequestsPerM,
});
