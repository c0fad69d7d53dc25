// bench/detection-incidents: false incidents per deployment-month as the Worker opens them. The
// real path runs every minute: advanceSequential (banks, episodes, release keys), the cusum
// rules' evaluateRule, and stepIncident (for, resolve, repeat), over simulated per-minute
// counters of the seven default rate metrics (Poisson counts by thinning, exact), with a daily
// rhythm of ±30 % in volume and, optionally, in the rates. The baseline is 7 days of the same
// rhythm, redrawn daily (the rolling baseline's role) as 24 hour-of-day buckets, from which the
// real baselineProfile fits the rates' hour-of-day profiles as the Worker does from its hourly
// rollups; a release every 7 days changes the key.
// Distributions are left to bench/detection (their per-minute sketches are too slow for a year).
// Usage: node bench/detection-incidents.mjs [--days 365] [--rate-rhythm 0|0.3]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { poissonExact } from "./lib/detection-sequential.mjs";
import { rng, STATIONARY } from "./lib/detection-sim.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAYS = arg("days", 365);
const RATE_RHYTHM = arg("rate-rhythm", 0);
// --profiles 0 compares every minute with the flat 7-day mean (as before hour-of-day profiles).
const PROFILES = arg("profiles", 1) !== 0;
const LEVELS = process.argv.includes("--levels")
  ? String(process.argv[process.argv.indexOf("--levels") + 1])
      .split(",")
      .map(Number)
  : [10, 100, 1000, 10_000];
const DAY = 1440;
const MINUTE_MS = 60_000;

const ENTRY = `
export { advanceSequential } from "./src/alerts/evaluation/sequential";
export { evaluateRule } from "./src/alerts/evaluation/evaluate";
export { stepIncident } from "./src/alerts/incidents/incident-machine";
export { DEFAULT_RULES } from "./src/alerts/rules/default-rules";
export { emptyBucket, mergeBuckets } from "./src/window/bucket";
export { baselineProfile } from "./src/alerts/evaluation/baseline-profile";
`;
const dir = mkdtempSync(join(tmpdir(), "driftwatch-incidents-"));
const outfile = join(dir, "engine.mjs");
await build({
  stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts", sourcefile: "incidents-entry.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outfile,
  logLevel: "warning",
});
const engine = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

const p = STATIONARY;
// Counter, per-interaction probability (thumbs-down: of the rated share, per thumb).
const RATES = [
  ["error", p.error],
  ["timeout", p.timeout],
  ["refused", p.refused],
  ["filtered", p.filtered],
  ["unanswered", p.unanswered],
  ["escalated", p.escalated],
];
const rules = engine.DEFAULT_RULES.filter(
  (r) =>
    r.test === "cusum" &&
    !["latency_ms", "ttft_ms", "output_chars", "output_tokens", "retrieval_top_score"].includes(
      r.metric,
    ),
);
const metrics = rules.map((r) => ({
  metric: r.metric,
  direction: r.direction === "down" ? "down" : "up",
}));

/** One minute's counters at volume `lambda` with every rate multiplied by `f`. */
function minuteBucket(r, lambda, f) {
  const b = engine.emptyBucket();
  const c = b.counters;
  let count = 0;
  for (const [name, q] of RATES) {
    c[name] = poissonExact(r, lambda * q * f);
  }
  count = poissonExact(r, lambda);
  // Thinning keeps each counter Poisson; the total is drawn on its own (counts stay consistent
  // in expectation, which is all the rate detector reads: successes over trials).
  for (const [name] of RATES) count = Math.max(count, c[name]);
  c.count = count;
  c.feedback_down = poissonExact(r, lambda * p.rated * p.thumbsDown * f);
  c.feedback_up = poissonExact(r, lambda * p.rated * (1 - p.thumbsDown * f));
  return b;
}

const phaseAt = (minuteOfDay) => Math.sin((2 * Math.PI * minuteOfDay) / DAY);

/**
 * 7 days of the rhythm as 24 hour-of-day buckets (each hour's volume and volume-weighted rate
 * factor), merged into the baseline, and the rates' profiles fitted from them.
 */
function baselineWeek(r, rate, t0) {
  const hours = [];
  for (let h = 0; h < 24; h++) {
    let volume = 0;
    let weighted = 0;
    for (let m = 0; m < 60; m++) {
      const phase = phaseAt(h * 60 + m);
      volume += 1 + 0.3 * phase;
      weighted += (1 + 0.3 * phase) * (1 + RATE_RHYTHM * phase);
    }
    hours.push({
      start: t0 + h * 60 * MINUTE_MS,
      bucket: minuteBucket(r, rate * volume * 7, weighted / volume),
    });
  }
  const bucket = engine.emptyBucket();
  for (const h of hours) engine.mergeBuckets(bucket, h.bucket);
  return {
    bucket,
    coefficients: engine.baselineProfile(
      hours,
      metrics.map((m) => m.metric),
    ),
  };
}

function run(rate) {
  const r = rng(9000 + rate);
  let state = null;
  const incidents = new Map(rules.map((x) => [x.id, null]));
  let opened = 0;
  let resolvedWhileHeld = 0;
  const t0 = Date.UTC(2026, 0, 5);
  let week = baselineWeek(r, rate, t0);
  let baseline = week.bucket;
  let key = "rolling|0";
  let profiled = 0;
  for (let t = 0; t < DAYS * DAY; t++) {
    const start = t0 + t * MINUTE_MS;
    const phase = phaseAt(t % DAY);
    if (t % DAY === 0 && t > 0) {
      week = baselineWeek(r, rate, t0);
      baseline = week.bucket;
    }
    if (t % DAY === 0) profiled += Object.keys(week.coefficients).length;
    if (t % (7 * DAY) === 0 && t > 0) key = `rolling|${t}`;
    const bucket = minuteBucket(r, rate * (1 + 0.3 * phase), 1 + RATE_RHYTHM * phase);
    const out = engine.advanceSequential({
      previous: state,
      key,
      metrics,
      baseline,
      baselineMinutes: 7 * DAY,
      minutes: [{ start, bucket }],
      now: start + MINUTE_MS,
      days: 30,
      ...(PROFILES ? { profile: { at: start, key, coefficients: week.coefficients } } : {}),
    });
    state = out.state;
    for (const rule of rules) {
      const check = engine.evaluateRule(rule, {
        current: bucket,
        baseline,
        currentMinutes: 1,
        baselineMinutes: 7 * DAY,
        sequential: out.readings,
      });
      const step = engine.stepIncident({
        previous: incidents.get(rule.id),
        deployment_id: "bench",
        rule_id: rule.id,
        outcome: check.outcome,
        value: check.value,
        minute: start + MINUTE_MS,
        for_minutes: rule.for_minutes,
        no_data: rule.no_data,
        repeat_interval_minutes: rule.repeat_interval_minutes,
        send_resolved: rule.send_resolved,
      });
      incidents.set(rule.id, step.state);
      if (step.transition?.to === "firing") opened++;
      if (step.transition?.to === "resolved" && !check.summary?.includes("back to")) {
        resolvedWhileHeld++;
      }
    }
  }
  return {
    rate,
    opened,
    resolvedWhileHeld,
    perMonth: (opened / DAYS) * 30,
    profiledShare: profiled / (DAYS * metrics.length),
  };
}

const started = performance.now();
const rows = [];
for (const rate of LEVELS) {
  const s = performance.now();
  const r = run(rate);
  rows.push({ ...r, seconds: (performance.now() - s) / 1000 });
  console.log(
    `${rate}/min: ${r.opened} incidents in ${DAYS} days (${r.perMonth.toFixed(2)} a month)`,
  );
}
const seconds = (performance.now() - started) / 1000;
const table = rows
  .map(
    (r) =>
      `| ${r.rate.toLocaleString("en")} | ${r.opened} | ${r.perMonth.toFixed(2)} | ${r.resolvedWhileHeld} | ${(100 * r.profiledShare).toFixed(1)} % | ${r.seconds.toFixed(0)} s |`,
  )
  .join("\n");
const name = `detection-incidents${RATE_RHYTHM > 0 ? "-rhythm" : ""}${PROFILES ? "" : "-flat"}${
  process.argv.includes("--levels") ? `-${LEVELS.join("-")}` : ""
}.md`;
writeFileSync(
  join(HERE, "results", name),
  `# False incidents as the Worker opens them

\`node bench/detection-incidents.mjs --days ${DAYS} --rate-rhythm ${RATE_RHYTHM}${PROFILES ? "" : " --profiles 0"}\`: the seven default
rate metrics' cusum rules through advanceSequential, evaluateRule and stepIncident every minute,
${DAYS} simulated days per level of stationary traffic, volume ±30 % by hour of day${RATE_RHYTHM > 0 ? `, rates ±${RATE_RHYTHM * 100} % by hour of day` : ", rates constant"};
baseline redrawn daily from 7 days of the same rhythm, a release (new detector key) every 7 days;
${PROFILES ? 'each rate compared with its hour-of-day profile where the baseline week shows a daily rhythm ("profiled": share of rate-days with one)' : "every rate compared with its flat 7-day mean (no hour-of-day profiles)"}.
Target: ≤ 1 false incident per deployment-month. "Resolved without evidence" counts resolves
whose check did not report the rate back (a reset or release read as recovery): target 0.

| events/min | incidents | per month | resolved without evidence | profiled | time |
| ---: | ---: | ---: | ---: | ---: | ---: |
${table}

Run time ${seconds.toFixed(0)} s on one core.
`,
);
console.log(`wrote bench/results/${name} in ${seconds.toFixed(0)} s`);
