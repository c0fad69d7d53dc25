// bench/detection-incidents-distributions: false incidents per deployment-month of the
// distribution rules as the Worker opens them, the companion of bench/detection-incidents (rates).
// Every minute, through the real code: the default window rules (p95 quantile ratio on latency
// and time to first token, PSI warning and critical on output chars, output tokens and retrieval
// top score), one custom KS rule on latency with the schema's defaults, and the five
// distribution cusum rules (advanceSequential on the minute's sketches); each rule's check goes
// through stepIncident (for, resolve, repeat). Traffic: volume ±30 % by hour of day, the
// stationary stream's distributions (bench/lib/detection-sim). Per-minute aggregates, exact in
// law: each metric's sketch-bin probabilities are tabulated once from 4 M draws of the
// simulator's formulas, and a minute's bin counts are independent Poissons (a Poisson count of
// events split multinomially), so no value is drawn one by one above 64 a minute. The 15-minute
// window is a sliding sum of bin counts; the baseline is 7 days of the rhythm redrawn daily, a
// release (new detector key) every 7 days.
// Usage: node bench/detection-incidents-distributions.mjs [--days 365] [--levels 10,100]
//   [--seconds S: stop a level after S seconds and report the days it simulated]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { poissonExact } from "./lib/detection-sequential.mjs";
import { normal, rng, STATIONARY } from "./lib/detection-sim.mjs";
import { baselineView, screenFor } from "./lib/window-screen.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAYS = arg("days", 365);
const SECONDS = arg("seconds", Number.POSITIVE_INFINITY);
// Runs every check the screen passes over too, and counts screened checks that breach (must be 0).
const VERIFY = process.argv.includes("--verify-screen");
const LEVELS = process.argv.includes("--levels")
  ? String(process.argv[process.argv.indexOf("--levels") + 1])
      .split(",")
      .map(Number)
  : [10, 100, 1000, 10_000];
const DAY = 1440;
const MINUTE_MS = 60_000;
const WINDOW = 15;

const ENTRY = `
export { advanceSequential } from "./src/alerts/evaluation/sequential";
export { evaluateRule } from "./src/alerts/evaluation/evaluate";
export { stepIncident } from "./src/alerts/incidents/incident-machine";
export { DEFAULT_RULES } from "./src/alerts/rules/default-rules";
export { RuleSchema } from "./src/alerts/rules/rule-schema";
export { emptyBucket } from "./src/window/bucket";
export { createSketch, MAX_BINS, sketchAdd } from "./src/window/sketch";
export { psi, psiCalibratedQuantile, ksAsymptoticPValue } from "./src/drift";
export { DISTRIBUTION_ALPHA } from "./src/alerts/rules/distribution-alpha";
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
const DISTS = ["latency_ms", "ttft_ms", "output_tokens", "output_chars", "retrieval_top_score"];
const windowRules = [
  ...engine.DEFAULT_RULES.filter(
    (r) => DISTS.includes(r.metric) && r.test !== "cusum" && r.enabled,
  ),
  // No alpha: the rule holds the default significance (src/alerts/rules/distribution-alpha.ts).
  engine.RuleSchema.parse({
    id: "custom:latency_ks",
    name: "Latency distribution changed (KS)",
    metric: "latency_ms",
    test: "ks",
    threshold: 0.1,
  }),
];
const cusumRules = engine.DEFAULT_RULES.filter((r) => r.test === "cusum");
const distCusum = cusumRules.filter((r) => DISTS.includes(r.metric));
// Every cusum metric the Worker runs, so each gets the Worker's share of the budget; the rate
// metrics see no counters here and build no bank.
const metrics = cusumRules.map((r) => ({
  metric: r.metric,
  direction: r.direction === "down" ? "down" : "up",
}));

// Each metric's marginal, drawn with the simulator's formulas (bench/lib/detection-sim makeEvent).
const lognormal = (r, median, sigma) => median * Math.exp(sigma * normal(r));
const DRAW = {
  latency_ms: (r) => lognormal(r, p.latencyMedian, p.latencySigma),
  ttft_ms: (r) =>
    Math.min(
      lognormal(r, p.latencyMedian, p.latencySigma),
      lognormal(r, p.ttftMedian, p.ttftSigma),
    ),
  output_tokens: (r) => Math.max(1, Math.round(lognormal(r, p.tokensMedian, p.tokensSigma))),
  output_chars: (r) =>
    Math.round(
      Math.max(1, Math.round(lognormal(r, p.tokensMedian, p.tokensSigma))) *
        p.charsPerToken *
        Math.exp(0.1 * normal(r)),
    ),
  retrieval_top_score: (r) => Math.min(1, Math.max(0, p.retrievalMean + p.retrievalSd * normal(r))),
};

/** The metric's sketch bins (one representative value each) and their probabilities. */
function binTable(metric, draws = 4_000_000) {
  const r = rng(4242 + metric.length);
  const seen = new Map();
  for (let i = 0; i < draws; i++) {
    const v = DRAW[metric](r);
    // The bin a value falls in is found by adding it to a one-value sketch.
    const key = v <= 0 ? 0 : Math.ceil(Math.log(v) / Math.log(1.01 / 0.99));
    const e = seen.get(key);
    if (e) e.n++;
    else seen.set(key, { v, n: 1 });
  }
  const bins = [...seen.entries()].map(([key, b]) => ({ key, ...b })).sort((a, b) => a.v - b.v);
  const values = Float64Array.from(bins, (b) => b.v);
  // Each bin's sketch index (0 for values <= 0, counted as the sketch's zeros).
  const keys = Int32Array.from(bins, (b) => (b.v <= 0 ? 0 : b.key));
  const probs = Float64Array.from(bins, (b) => b.n / draws);
  const cdf = new Float64Array(bins.length);
  let acc = 0;
  for (let i = 0; i < bins.length; i++) cdf[i] = acc += probs[i];
  return { values, keys, probs, cdf };
}
const TABLES = Object.fromEntries(DISTS.map((m) => [m, binTable(m)]));

/** Bin counts of Poisson(mean) values: one by one for small means, per-bin Poissons above. */
function drawCounts(r, table, mean, into) {
  into.fill(0);
  if (mean < 64) {
    const n = poissonExact(r, mean);
    for (let i = 0; i < n; i++) {
      const u = r() * table.cdf[table.cdf.length - 1];
      let lo = 0;
      let hi = table.cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (table.cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      into[lo]++;
    }
  } else {
    for (let i = 0; i < into.length; i++) into[i] = poissonExact(r, mean * table.probs[i]);
  }
  return into;
}

// The sketch of these bin counts, its store written directly (what sketchAdd of each bin's value
// would build, without finding each index again): the bench's hottest path at 10,000 a minute.
function sketchOf(table, counts) {
  const s = engine.createSketch();
  let first = 0;
  let last = counts.length - 1;
  while (first <= last && counts[first] === 0) first++;
  while (last > first && counts[last] === 0) last--;
  if (first > last) return s;
  let low = first;
  while (low < last && (table.values[low] <= 0 || counts[low] === 0)) low++;
  const lowKey = table.keys[low];
  if (table.keys[last] - lowKey + 1 > engine.MAX_BINS || table.values[first] < 0) {
    return sketchByAdding(table, counts, first, last);
  }
  s.min = table.values[first];
  s.max = table.values[last];
  const store = [];
  for (let i = first; i <= last; i++) {
    const c = counts[i];
    if (c === 0) continue;
    const v = table.values[i];
    s.count += c;
    s.sum += v * c;
    if (v <= 0) s.zero += c;
    else {
      const at = table.keys[i] - lowKey;
      while (store.length <= at) store.push(0);
      store[at] += c;
    }
  }
  if (store.length > 0) s.pos = { offset: lowKey, counts: store };
  return s;
}

function sketchByAdding(table, counts, first, last) {
  const s = engine.createSketch();
  // The highest and lowest bins first, so the store widens once instead of once a bin.
  engine.sketchAdd(s, table.values[last], counts[last]);
  for (let i = first; i < last; i++) {
    if (counts[i] > 0) engine.sketchAdd(s, table.values[i], counts[i]);
  }
  return s;
}

function bucketOf(countsByMetric) {
  const b = engine.emptyBucket();
  for (const m of DISTS) b.dists[m] = sketchOf(TABLES[m], countsByMetric[m]);
  return b;
}

const phaseAt = (minuteOfDay) => Math.sin((2 * Math.PI * minuteOfDay) / DAY);

/** 7 days of the rhythm: mean volume `rate` a minute, so 7 × 1,440 × rate values per metric. */
function baselineWeek(r, rate) {
  const counts = {};
  for (const m of DISTS) {
    counts[m] = drawCounts(r, TABLES[m], rate * 7 * DAY, new Float64Array(TABLES[m].values.length));
  }
  const views = Object.fromEntries(DISTS.map((m) => [m, baselineView(counts[m])]));
  return { bucket: bucketOf(counts), views };
}

const QUIET = new Set(["inactive", "resolved"]);
const quiet = (incident) => incident === null || QUIET.has(incident.status);

function run(rate) {
  const r = rng(9100 + rate);
  const started = performance.now();
  const rules = [...windowRules, ...distCusum];
  const incidents = new Map(rules.map((x) => [x.id, null]));
  const opened = new Map(rules.map((x) => [x.id, 0]));
  let resolvedWithoutEvidence = 0;
  const screens = new Map(
    windowRules.map((x) => [x.id, screenFor(engine, x, TABLES[x.metric].values)]),
  );
  let screened = 0;
  let evaluated = 0;
  let screenedBreaches = 0;
  const maxGap = new Map();
  let state = null;
  const t0 = Date.UTC(2026, 0, 5);
  let week = baselineWeek(r, rate);
  let key = "rolling|0";
  const ring = Array.from({ length: WINDOW }, () =>
    Object.fromEntries(DISTS.map((m) => [m, new Float64Array(TABLES[m].values.length)])),
  );
  const sums = Object.fromEntries(DISTS.map((m) => [m, new Float64Array(TABLES[m].values.length)]));
  let t = 0;
  for (; t < DAYS * DAY; t++) {
    if (t % DAY === 0 && (performance.now() - started) / 1000 > SECONDS) break;
    const start = t0 + t * MINUTE_MS;
    if (t % DAY === 0 && t > 0) week = baselineWeek(r, rate);
    const baseline = week.bucket;
    if (t % (7 * DAY) === 0 && t > 0) key = `rolling|${t}`;
    const mean = rate * (1 + 0.3 * phaseAt(t % DAY));
    const slot = ring[t % WINDOW];
    for (const m of DISTS) {
      const sum = sums[m];
      const old = slot[m];
      for (let i = 0; i < sum.length; i++) sum[i] -= old[i];
      drawCounts(r, TABLES[m], mean, old);
      for (let i = 0; i < sum.length; i++) sum[i] += old[i];
    }
    const minute = bucketOf(slot);
    let window = null;
    const out = engine.advanceSequential({
      previous: state,
      key,
      metrics,
      baseline,
      baselineMinutes: 7 * DAY,
      minutes: [{ start, bucket: minute }],
      now: start + MINUTE_MS,
      days: 30,
    });
    state = out.state;
    const windowed = t + 1 >= WINDOW;
    for (const rule of rules) {
      const cusum = rule.test === "cusum";
      if (!cusum && !windowed) continue;
      // A check that cannot breach changes nothing while its incident is quiet (window-screen.mjs).
      const incident = incidents.get(rule.id);
      const screen =
        cusum || !(quiet(incident) || VERIFY)
          ? null
          : screens.get(rule.id)(week.views[rule.metric], sums[rule.metric]);
      const skip = quiet(incident) && (cusum ? !out.readings.get(rule.metric)?.alarm : !screen.can);
      if (skip) screened++;
      else evaluated++;
      if (skip && !VERIFY) continue;
      if (!cusum) window ??= bucketOf(sums);
      const check = engine.evaluateRule(rule, {
        current: cusum ? minute : window,
        baseline,
        currentMinutes: cusum ? 1 : WINDOW,
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
      if (VERIFY && screen?.statistic !== undefined && typeof check.statistic === "number") {
        const gap = Math.abs(screen.statistic - check.statistic) / Math.max(1e-12, check.statistic);
        maxGap.set(rule.test, Math.max(maxGap.get(rule.test) ?? 0, gap));
      }
      if (skip) {
        if (check.outcome === "breach") screenedBreaches++;
        continue;
      }
      incidents.set(rule.id, step.state);
      if (step.transition?.to === "firing") opened.set(rule.id, opened.get(rule.id) + 1);
      // Window rules resolve when their window test passes (evidence of return by design); a
      // cusum rule's resolve must say the stream is back.
      if (cusum && step.transition?.to === "resolved" && !check.summary?.includes("back to")) {
        resolvedWithoutEvidence++;
      }
    }
  }
  const days = t / DAY;
  const total = [...opened.values()].reduce((a, b) => a + b, 0);
  return {
    rate,
    days,
    opened,
    total,
    perMonth: (total / days) * 30,
    resolvedWithoutEvidence,
    screened: screened / (screened + evaluated),
    screenedBreaches,
    maxGap,
    seconds: (performance.now() - started) / 1000,
  };
}

const rows = [];
for (const rate of LEVELS) {
  const x = run(rate);
  rows.push(x);
  const by = [...x.opened].filter(([, n]) => n > 0).map(([id, n]) => `${id} ${n}`);
  console.log(
    `${rate}/min: ${x.total} incidents in ${x.days.toFixed(1)} days (${x.perMonth.toFixed(2)} a month) ${by.join(", ")} in ${x.seconds.toFixed(0)} s; ${(100 * x.screened).toFixed(1)} % of checks screened${VERIFY ? `, screened breaches ${x.screenedBreaches}, largest statistic gap ${JSON.stringify(Object.fromEntries(x.maxGap))}` : ""}`,
  );
}
const table = rows
  .map((x) => {
    const by = [...x.opened].filter(([, n]) => n > 0).map(([id, n]) => `${id}: ${n}`);
    return `| ${x.rate.toLocaleString("en")} | ${x.days.toFixed(0)} | ${x.total} | ${x.perMonth.toFixed(2)} | ${by.join(", ") || "—"} | ${x.resolvedWithoutEvidence} | ${(100 * x.screened).toFixed(1)} % | ${x.seconds.toFixed(0)} s |`;
  })
  .join("\n");
const name = `detection-incidents-distributions${
  process.argv.includes("--levels") ? `-${LEVELS.join("-")}` : ""
}.md`;
writeFileSync(
  join(HERE, "results", name),
  `# False incidents of the distribution rules as the Worker opens them

\`node bench/detection-incidents-distributions.mjs --days ${DAYS}${Number.isFinite(SECONDS) ? ` --seconds ${SECONDS}` : ""}\`: the default distribution
window rules (p95 quantile ratio 1.5 on latency and time to first token; PSI 0.1 and 0.25 on
output chars, output tokens and retrieval top score), a custom KS rule on latency (D ≥ 0.1 and
no alpha, so the default p < 1e-5; the schema's defaults otherwise), and the five distribution
cusum rules (median and p95 exceedance streams and the normal-score bank), through evaluateRule,
advanceSequential and stepIncident every minute on stationary traffic, volume ±30 % by hour of
day; baseline redrawn daily from 7 days of the rhythm, a release (new detector key) every 7 days.
Target: ≤ 1 false incident per deployment-month (all these rules together). "Resolved without
evidence": cusum resolves whose check did not report the stream back (target 0). "Screened":
checks skipped because they could not breach while their incident was inactive or resolved
(bench/lib/window-screen.mjs: the window statistic from the bin counts under 0.9 of what the
rule applies, or a cusum reading without alarm), where a check that does not breach changes
nothing; \`--verify-screen\` runs them too and counts any that breach.

| events/min | days simulated | incidents | per month | by rule | resolved without evidence | screened | time |
| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |
${table}
`,
);
console.log(`wrote bench/results/${name}`);
