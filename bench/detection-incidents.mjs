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

/**
 * One minute's counters at volume `lambda` with every rate multiplied by `f`, and the counters
 * named in `change` (feedback_down for thumbs-down) by their factor on top.
 */
function minuteBucket(r, lambda, f, change = {}) {
  const b = engine.emptyBucket();
  const c = b.counters;
  let count = 0;
  for (const [name, q] of RATES) {
    c[name] = poissonExact(r, lambda * q * f * (change[name] ?? 1));
  }
  count = poissonExact(r, lambda);
  // Thinning keeps each counter Poisson; the total is drawn on its own (counts stay consistent
  // in expectation, which is all the rate detector reads: successes over trials).
  for (const [name] of RATES) count = Math.max(count, c[name]);
  c.count = count;
  const down = p.thumbsDown * f * (change.feedback_down ?? 1);
  c.feedback_down = poissonExact(r, lambda * p.rated * down);
  c.feedback_up = poissonExact(r, lambda * p.rated * (1 - down));
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

// --changes N: delay instead of false incidents. N runs per level and change, each on a fresh
// baseline week and detector, starting at a random time of day: 30 stationary minutes, then the
// change (every rate keeps its rhythm), until the change's cusum rule fires (2 days at most).
// The information bound follows the rhythm: the minutes the changed stream needs to gather
// log(ARL₀) nats, ARL₀ one false alarm per month in observations at the mean traffic.
const CHANGES = [
  {
    label: "thumbs-down 5 % → 10 %",
    metric: "thumbs_down_rate",
    counter: "feedback_down",
    factor: 2,
  },
  { label: "error rate 1 % → 3 %", metric: "error_rate", counter: "error", factor: 3 },
];
const bernoulliKl = (p1, p0) => p1 * Math.log(p1 / p0) + (1 - p1) * Math.log((1 - p1) / (1 - p0));

function boundMinutes(rate, change, from) {
  const thumbs = change.counter === "feedback_down";
  const q = thumbs ? p.thumbsDown : p.error;
  const share = thumbs ? p.rated : 1;
  const target = Math.log(30 * DAY * rate * share);
  let gathered = 0;
  for (let t = from; ; t++) {
    const phase = phaseAt(t % DAY);
    const p0 = q * (1 + RATE_RHYTHM * phase);
    const step = rate * share * (1 + 0.3 * phase) * bernoulliKl(change.factor * p0, p0);
    if (gathered + step >= target) return t - from + (target - gathered) / step;
    gathered += step;
  }
}

function changeRun(rate, change, rep) {
  const r = rng(7000 + rate + 31 * rep);
  const t0 = Date.UTC(2026, 0, 5) + rep * DAY * MINUTE_MS;
  const week = baselineWeek(r, rate, t0);
  const rule = rules.find((x) => x.metric === change.metric);
  const from = Math.floor(r() * DAY);
  const changeAt = from + 30;
  let state = null;
  for (let t = from; t < changeAt + 2 * DAY; t++) {
    const start = t0 + t * MINUTE_MS;
    const phase = phaseAt(t % DAY);
    const bucket = minuteBucket(
      r,
      rate * (1 + 0.3 * phase),
      1 + RATE_RHYTHM * phase,
      t >= changeAt ? { [change.counter]: change.factor } : {},
    );
    const out = engine.advanceSequential({
      previous: state,
      key: "rolling|0",
      metrics,
      baseline: week.bucket,
      baselineMinutes: 7 * DAY,
      minutes: [{ start, bucket }],
      now: start + MINUTE_MS,
      days: 30,
      ...(PROFILES
        ? { profile: { at: start, key: "rolling|0", coefficients: week.coefficients } }
        : {}),
    });
    state = out.state;
    const check = engine.evaluateRule(rule, {
      current: bucket,
      baseline: week.bucket,
      currentMinutes: 1,
      baselineMinutes: 7 * DAY,
      sequential: out.readings,
    });
    if (check.outcome === "breach") {
      return {
        delay: t >= changeAt ? t - changeAt + 1 : null,
        early: t < changeAt,
        from: changeAt,
      };
    }
  }
  return { delay: null, early: false, from: changeAt };
}

const CHANGE_REPS = arg("changes", 0);
if (CHANGE_REPS > 0) {
  const started = performance.now();
  const lines = [];
  for (const rate of LEVELS) {
    for (const change of CHANGES) {
      const runs = Array.from({ length: CHANGE_REPS }, (_, i) => changeRun(rate, change, i));
      const ratios = runs
        .filter((x) => x.delay !== null)
        .map((x) => x.delay / Math.max(1, boundMinutes(rate, change, x.from)));
      const delays = runs.map((x) => x.delay).filter((d) => d !== null);
      const bounds = runs.map((x) => boundMinutes(rate, change, x.from));
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const line = `| ${rate.toLocaleString("en")} | ${change.label} | ${med(delays) ?? "—"} | ${med(bounds).toFixed(1)} | ${ratios.length ? `${med(ratios).toFixed(2)}×` : "—"} | ${runs.filter((x) => x.delay === null && !x.early).length} | ${runs.filter((x) => x.early).length} |`;
      lines.push(line);
      console.log(line);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(
    join(HERE, "results", `detection-rhythm-delay${PROFILES ? "" : "-flat"}.md`),
    `# Sequential delay on rhythmic traffic

\`node bench/detection-incidents.mjs --changes ${CHANGE_REPS} --rate-rhythm ${RATE_RHYTHM}${PROFILES ? "" : " --profiles 0"}\`: ${CHANGE_REPS} runs per
level and change through the real path (advanceSequential, evaluateRule), volume ±30 % and rates
±${RATE_RHYTHM * 100} % by hour of day, ${PROFILES ? "each rate compared with its hour-of-day profile" : "every rate compared with its flat 7-day mean"}; each run a fresh
baseline week and detector from a random time of day, 30 stationary minutes, then the change
(the rate multiplied at every time of day). Delay: minutes from the change to the rule's breach
(in the Worker add the minute a bucket settles). Bound: the minutes the changed stream needs to
gather log(ARL₀) nats at the rhythm's rates from the change's time of day (ARL₀ one false alarm
per month in observations at the mean traffic); the ratio is the median of each run's delay
over its own bound (a bound under a minute counts as one). Targets: ≤ 1.5× at ≥ 100 events/min,
≤ 2× at 10.

| events/min | change | median delay (min) | median bound (min) | median ratio | missed | alarm before the change |
| ---: | --- | ---: | ---: | ---: | ---: | ---: |
${lines.join("\n")}

Run time ${seconds.toFixed(0)} s.
`,
  );
  process.exit(0);
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
