// bench/capacity's single-event section: the direct intake (src/monitor/intake.ts) beside
// the queue path it replaced for small requests, its cost by each deployment's request
// rate, and its capacity. Pure: no I/O.
import { costPerMillion, LIMITS } from "./capacity-model.mjs";

/** A small deterministic generator (tests and results repeat). */
function random(seed) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return (s + 0.5) / 2 ** 31;
  };
}

/**
 * Mean events per commit of the intake's window at `rate` single-event requests/s arriving
 * independently (Poisson), simulated with the window's own rule: the next arrival joins
 * when it comes within quietMs of the last and within maxWaitMs of the first.
 */
export function eventsPerCommit(rate, { quietMs, maxWaitMs, maxEvents }, windows = 4_000) {
  const next = random(7);
  let total = 0;
  for (let w = 0; w < windows; w++) {
    let n = 1;
    let elapsed = 0;
    for (;;) {
      const gap = (-Math.log(next()) * 1000) / rate;
      if (n >= maxEvents || gap > quietMs || elapsed + gap > maxWaitMs) break;
      elapsed += gap;
      n++;
    }
    total += n;
  }
  return total / windows;
}

/**
 * Per-event operations of single-event requests at `rate` requests/s per deployment: the
 * measured ones, with the rows per commit spread over the events a window holds at that
 * rate, and the object active (billed duration) while it holds a window.
 */
export function perEventAtRate(measured, rate, window, rowsPerCommit, measuredCommitRows) {
  const e = eventsPerCommit(rate, window);
  const open = Math.min(window.maxWaitMs, ((e - 1) * 1000) / rate) + window.quietMs;
  return {
    eventsPerCommit: e,
    per: {
      ...measured,
      doRowsWritten: Math.max(0, measured.doRowsWritten - measuredCommitRows) + rowsPerCommit / e,
      doActiveSeconds: open / 1000 / e,
    },
  };
}

export const RATES = [10, 100, 300, 1_000];

const usd = (n) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;
const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The markdown section: before and after by line item, cost by rate, capacity. */
export function singleSection({
  m,
  single,
  before,
  window,
  rowsPerCommit,
  retentionDays,
  keptDays,
}) {
  const after = costPerMillion(m.beacons.per, retentionDays, keptDays);
  const upper = costPerMillion(
    { ...m.beacons.per, cpuMs: (single.cpuSeconds * 1000) / single.events },
    retentionDays,
    keptDays,
  );
  const was = costPerMillion(before.perEvent, retentionDays, keptDays);
  const intake = single.intake;
  const measuredCommitRows = (intake.commits * rowsPerCommit) / single.events;
  const byRate = RATES.map((rate) => {
    const at = perEventAtRate(m.beacons.per, rate, window, rowsPerCommit, measuredCommitRows);
    return { rate, ...at, cost: costPerMillion(at.per, retentionDays, keptDays) };
  });
  const perDeployment = Math.min(LIMITS.doRequestsPerSecond, m.beaconRate);
  return [
    "## Single-event requests: the direct intake",
    "",
    `Requests of at most 10 events go straight to the deployment's Durable Object, which holds them for a short window (closed ${window.quietMs} ms after the last arrival, ${window.maxWaitMs} ms after the first, or at ${fmt(window.maxEvents)} events) and commits them together through the queue consumer's accepting transaction (\`src/monitor/intake.ts\`). In this run: ${fmt(intake.requests)} requests in ${fmt(intake.commits)} commits (${fmt(intake.requests / Math.max(1, intake.commits), 1)} per commit from ${single.connections} clients each waiting for its answer), ${fmt(single.queue.messages)} queue messages (the fallback), ${fmt(single.events / single.seconds, 0)} requests/s. One commit writes ${rowsPerCommit} rows: 7 measured (\`test/monitor/commit-rows.test.ts\`) and 3 later (the ledger run's delete, the outbox row's chunk assignment and delete).`,
    "",
    "Cost per million single-event requests, before (queue path) and after (direct intake), by line item:",
    "",
    `| item | before: queue (${before.run.at.slice(0, 10)} run) | after: direct (this run) |`,
    "|---|---:|---:|",
    ...Object.keys(after.lines).map(
      (k) => `| ${k} | ${usd(was.lines[k] ?? 0)} | ${usd(after.lines[k])} |`,
    ),
    `| **total** | **${usd(was.total)}** | **${usd(after.total)}** |`,
    "",
    `Workers CPU after is the local runtime's CPU above a bare Hono route answering the same ${fmt(single.events)} single-event requests in the same run (${fmt(single.cpuSeconds, 1)} s against ${fmt(single.bareCpuSeconds, 1)} s): what Driftwatch's code adds, the object's included. Counting all of the runtime's CPU (the before column's measure) the after total is ${usd(upper.total)}. Target ≤ $0.60 per million: **${after.total <= 0.6 ? "met" : "not met"}** (${usd(after.total)}).`,
    "",
    "The rows a commit writes are spread over the events its window holds, which grows with each deployment's request rate (independent arrivals, simulated with the window's own rule):",
    "",
    `| requests/s per deployment | ${RATES.map((r) => fmt(r)).join(" | ")} |`,
    `|---|${RATES.map(() => "---:").join("|")}|`,
    `| events per commit | ${byRate.map((r) => fmt(r.eventsPerCommit, 1)).join(" | ")} |`,
    `| Durable Object rows written per event | ${byRate.map((r) => fmt(r.per.doRowsWritten, 3)).join(" | ")} |`,
    `| cost per million requests | ${byRate.map((r) => usd(r.cost.total)).join(" | ")} |`,
    "",
    `Capacity: each single-event request is one Durable Object request, so **one deployment takes ${fmt(perDeployment)} single-event requests/s** (the object's soft limit of ${fmt(LIMITS.doRequestsPerSecond)} requests/s; its storage bound is ${fmt(m.beaconRate)} events/s), and **N deployments N times that**: ${[1, 10, 100, 1000, 10000].map((n) => `${fmt(n)} → ${fmt(perDeployment * n)}/s`).join(", ")}. No shared store is in the way: the queue carries only fallbacks, D1 sees one tombstone read per project per isolate per 30 s and one markers write per deployment per alarm. Before: ${fmt(before.capacity.total)} single-event requests/s for the whole installation (${before.capacity.boundBy}).`,
  ].join("\n");
}
