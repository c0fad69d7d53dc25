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
 * The direct intake's commits for independent (Poisson) single-event requests at `rate`/s,
 * simulated with the intake's own rule (`rule`: src/monitor/intake-window.ts, bundled from
 * the source): a request finding the object idle commits at once, the others are held and
 * commit as the next group when the one in flight (`flightMs`: its transaction and
 * durability) has finished and the group has closed. `beacons`: the requests say their
 * clients do not wait (`?beacon=1`), so groups are held for the quiet span; otherwise a
 * group commits as soon as nothing is in flight. Returns the mean events per commit and
 * the object's active (billed) seconds per event: while it holds or commits a group.
 */
export function simulateIntake(rate, rule, flightMs, beacons = true, arrivals = 40_000) {
  const next = random(7);
  let pace = rule.firstPace();
  let held = [];
  let flightEnd = Number.NEGATIVE_INFINITY;
  const groups = [];
  let active = 0;
  let activeUntil = Number.NEGATIVE_INFINITY;
  const commit = (at) => {
    groups.push(held.length);
    const from = Math.max(held[0], activeUntil);
    flightEnd = at + flightMs;
    active += Math.max(0, flightEnd - from);
    activeUntil = flightEnd;
    held = [];
  };
  const due = () => {
    if (held.length === 0) return Number.POSITIVE_INFINITY;
    const window = {
      firstAt: held[0],
      lastAt: held[held.length - 1],
      events: held.length,
      waiting: !beacons,
    };
    return Math.max(flightEnd, rule.closesAt(window, rule.quietMs(pace)));
  };
  let t = 0;
  for (let i = 0; i < arrivals; i++) {
    t += (-Math.log(next()) * 1000) / rate;
    while (due() <= t) commit(due());
    const busy = t < flightEnd || held.length > 0;
    const atOnce = rule.commitsAtOnce(pace, t, busy, beacons);
    pace = rule.arrive(pace, t, busy);
    held.push(t);
    if (atOnce) commit(t);
  }
  if (held.length > 0) commit(due());
  return {
    eventsPerCommit: arrivals / groups.length,
    activeSecondsPerEvent: active / 1000 / arrivals,
  };
}

/** Rows a fold writes (test/monitor/commit-rows.test.ts) and folds a minute per object. */
export const FOLD_ROWS = 8;
export const FOLDS_PER_MINUTE = 3; // two alarms (rollups every 30 s) and the cron's window read
/** A commit's time in flight assumed for production: its transaction and its durability. */
export const FLIGHT_MS = 5;

/**
 * Per-event operations of single-event requests at `rate` requests/s per deployment: the
 * measured ones, with the rows per commit spread over the events a group holds at that
 * rate, the folds' rows over a minute's events, and the object active while it holds or
 * commits a group.
 */
export function perEventAtRate(
  measured,
  rate,
  rule,
  rowsPerCommit,
  measuredCommitRows,
  beacons = true,
) {
  const sim = simulateIntake(rate, rule, FLIGHT_MS, beacons);
  return {
    eventsPerCommit: sim.eventsPerCommit,
    per: {
      ...measured,
      doRowsWritten:
        Math.max(0, measured.doRowsWritten - measuredCommitRows) +
        rowsPerCommit / sim.eventsPerCommit +
        (FOLD_ROWS * FOLDS_PER_MINUTE) / (60 * rate),
      doActiveSeconds: sim.activeSecondsPerEvent,
    },
  };
}

export const RATES = [10, 30, 100, 300, 1_000];

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
  const atRates = (beacons) =>
    RATES.map((rate) => {
      const at = perEventAtRate(
        m.beacons.per,
        rate,
        window,
        rowsPerCommit,
        measuredCommitRows,
        beacons,
      );
      return { rate, ...at, cost: costPerMillion(at.per, retentionDays, keptDays) };
    });
  const byRate = atRates(true);
  const waiting = atRates(false);
  const perDeployment = Math.min(LIMITS.doRequestsPerSecond, m.beaconRate);
  return [
    "## Single-event requests: the direct intake",
    "",
    `Requests of at most 10 events go straight to the deployment's Durable Object (\`src/monitor/intake.ts\`), which commits a request at once when it is idle and otherwise holds it for the next commit: one commit at a time, a held group committing as soon as nothing is in flight when a request in it has a client waiting, and a group of beacons (\`?beacon=1\`) closing ${window.QUIET_GAPS} times the typical gap between arrivals after the last one (${window.QUIET_MIN_MS}–${window.QUIET_MAX_MS} ms), ${fmt(window.MAX_WAIT_MS)} ms after the first, or at ${fmt(window.MAX_EVENTS)} events (\`src/monitor/intake-window.ts\`); each commit goes through the queue consumer's accepting transaction, and a later fold counts the windows. In this run: ${fmt(intake.requests)} requests in ${fmt(intake.commits)} commits (${fmt(intake.requests / Math.max(1, intake.commits), 1)} per commit from ${single.connections} clients each waiting for its answer, without \`?beacon=1\`), ${fmt(single.queue.messages)} queue messages (the fallback), ${fmt(single.events / single.seconds, 0)} requests/s. One commit writes ${rowsPerCommit} rows: 5 measured (\`test/monitor/commit-rows.test.ts\`) and 3 later (the ledger run's delete, the outbox row's chunk assignment and delete); a fold writes ${FOLD_ROWS}, ~${FOLDS_PER_MINUTE} a minute per busy object.`,
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
    "The rows a commit writes are spread over the events its group holds, which grows with each deployment's request rate (independent arrivals, simulated with the intake's own rule). Beacons (`?beacon=1`: the SDK's browser and Worker monitors) are held for the quiet span; requests whose clients wait are committed at once, or with those that arrived during the commit in flight:",
    "",
    `| requests/s per deployment | ${RATES.map((r) => fmt(r)).join(" | ")} |`,
    `|---|${RATES.map(() => "---:").join("|")}|`,
    `| beacons: events per commit | ${byRate.map((r) => fmt(r.eventsPerCommit, 1)).join(" | ")} |`,
    `| beacons: Durable Object rows written per event | ${byRate.map((r) => fmt(r.per.doRowsWritten, 3)).join(" | ")} |`,
    `| beacons: cost per million requests | ${byRate.map((r) => usd(r.cost.total)).join(" | ")} |`,
    `| clients that wait: events per commit | ${waiting.map((r) => fmt(r.eventsPerCommit, 1)).join(" | ")} |`,
    `| clients that wait: cost per million requests | ${waiting.map((r) => usd(r.cost.total)).join(" | ")} |`,
    "",
    `Capacity: each single-event request is one Durable Object request, so **one deployment takes ${fmt(perDeployment)} single-event requests/s** (the object's soft limit of ${fmt(LIMITS.doRequestsPerSecond)} requests/s; its storage bound is ${fmt(m.beaconRate)} events/s), and **N deployments N times that**: ${[1, 10, 100, 1000, 10000].map((n) => `${fmt(n)} → ${fmt(perDeployment * n)}/s`).join(", ")}. No shared store is in the way: the queue carries only fallbacks, D1 sees one tombstone read per project per isolate per 30 s and one markers write per deployment per alarm. Before: ${fmt(before.capacity.total)} single-event requests/s for the whole installation (${before.capacity.boundBy}).`,
  ].join("\n");
}
