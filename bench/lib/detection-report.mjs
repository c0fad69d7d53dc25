// Renders bench/results/detection.md from the job results of bench/detection.
import { cpus } from "node:os";
import { sequentialSections, sequentialTargets } from "./detection-sequential-report.mjs";
import { SCENARIOS, STATIONARY } from "./detection-sim.mjs";

const SETS = [
  ["default", "default rules"],
  ["design", "first thresholds, untuned"],
  ["evidently", "Evidently-style"],
  ["static", "static threshold"],
  ["fixedPsi", "fixed PSI ≥ 0.1"],
];
const BUDGET_MS = 30_000;
const fmt = (x, d = 1) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(d));
const int = (x) => Math.round(x).toLocaleString("en-US");

/** Median of detection delays, missed runs counting as never; null if most runs missed. */
function median(delays, key) {
  const xs = delays.map((d) => (d ? d[key] : Number.POSITIVE_INFINITY)).sort((a, b) => a - b);
  const m = xs[Math.floor((xs.length - 1) / 2)];
  return Number.isFinite(m) ? m : null;
}

function cell(effect, set) {
  if (!effect.covered[set]) return "n/a";
  const delays = effect.delays[set];
  const hits = delays.filter(Boolean).length;
  const m = median(delays, "minutes");
  if (m === null) return `missed (${hits}/${delays.length})`;
  return `${m} min · ${int(median(delays, "events"))} ev${hits < delays.length ? ` (${hits}/${delays.length})` : ""}`;
}

/** Poisson 95 % upper bound on a rate from k events (k = 0: 3.0). */
const upper95 = (k) => [3.0, 4.74, 6.3, 7.75, 9.15, 10.51][k] ?? k + 1.96 * Math.sqrt(k) + 2;

export function renderReport({ options, results, seconds }) {
  const fa = results
    .filter((r) => r.job.kind === "fa")
    .map((r) => r.result)
    .sort((a, b) => a.rate - b.rate);
  const det = results.filter((r) => r.job.kind === "detect").map((r) => r.result);
  const cpu = results
    .filter((r) => r.job.kind === "cpu")
    .map((r) => r.result)
    .sort((a, b) => a.rate - b.rate);
  const seqFa = results
    .filter((r) => r.job.kind === "seq-fa")
    .map((r) => r.result)
    .sort((a, b) => a.rate - b.rate);
  const seqDet = results.filter((r) => r.job.kind === "seq-detect").map((r) => r.result);
  const lines = [];
  const push = (...xs) => lines.push(...xs);

  const worstFa = Math.max(...fa.map((f) => f.sets.default.perMonth));
  const thumbs = (key) =>
    det.find((d) => d.scenario === key && d.rate === 100)?.effects.find((e) => e.effect === 0.1);
  const target = thumbs("thumbs-all");
  const within = (e) => e.delays.default.filter((d) => d && d.minutes <= 15).length;
  const m = median(target.delays.default, "minutes");
  const pass = (ok) => (ok ? "**PASS**" : "**FAIL**");
  const realistic = thumbs("thumbs");
  const mr = median(realistic.delays.default, "minutes");

  push(
    "# Detection benchmark: default rules, fixed tests, static thresholds",
    "",
    `\`node bench/detection.mjs --days ${options.days} --replicates ${options.replicates} --horizon ${options.horizon}\`: ${Math.round(seconds)} s on ${options.workers} worker threads (${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.versions.node}). The rule engine is the real \`src/alerts\` TypeScript, bundled with esbuild.`,
    "",
    "## Targets",
    "",
    "| target | measured | result |",
    "|---|---|---|",
    `| ≤ 1 false alarm per deployment-month at every traffic level (default rules) | ${fa.map((f) => `${fmt(f.sets.default.perMonth)} at ${int(f.rate)}/min`).join(", ")} | ${pass(worstFa <= 1)} |`,
    `| thumbs-down 5 % → 10 % detected within 15 min at 100 events/min (each event carries a thumb: n counts thumbs) | median ${m ?? "never"} min; ${within(target)}/${target.delays.default.length} runs within 15 min | ${pass(m !== null && m <= 15)} |`,
    `| the same with 20 % of events rated (20 thumbs/min) | median ${mr ?? `> ${options.horizon}`} min; ${within(realistic)}/${realistic.delays.default.length} within 15 min | not reachable at ≤ 1 false alarm a month, see below |`,
    ...sequentialTargets({ seqFa, seqDet, windowFa: fa, det }),
    "",
  );

  push(
    "## False alarms per deployment-month on stationary traffic",
    "",
    `Incidents (transitions into firing) over ${options.days} simulated days per level, scaled to 30 days. Every rule set uses the same 15-minute windows, \`for\` durations and minimum samples as the defaults; only the tests differ.`,
    "",
    `| events/min | ${SETS.map(([, label]) => label).join(" | ")} |`,
    `|---|${SETS.map(() => "---:").join("|")}|`,
    ...fa.map(
      (f) => `| ${int(f.rate)} | ${SETS.map(([k]) => fmt(f.sets[k].perMonth)).join(" | ")} |`,
    ),
    "",
    `With 0 incidents in ${options.days} days the 95 % upper bound is ${fmt((upper95(0) * 30) / options.days)} a month; the point estimates above are what the target compares.`,
    "",
    "Rules behind the false alarms (incidents in the simulated period):",
    "",
    ...fa.flatMap((f) =>
      SETS.map(([k, label]) => {
        const by = Object.entries(f.sets[k].byRule).sort((a, b) => b[1] - a[1]);
        return by.length
          ? `- ${int(f.rate)}/min, ${label}: ${by.map(([id, n]) => `${id} ${n}`).join(", ")}`
          : null;
      }).filter(Boolean),
    ),
    "",
  );

  push(
    "## Detection delay after a step change",
    "",
    `Median minutes from the change to the first incident on the changed metric, and the events that arrived meanwhile, over ${options.replicates} runs per cell (window starts full of normal traffic, baseline unchanged). "(k/n)": runs that fired within ${options.horizon} min when not all did; "missed": most runs did not. n/a: the rule set has no rule on that metric.`,
    "",
  );
  for (const s of SCENARIOS) {
    push(
      `### ${s.label}`,
      "",
      `| change | events/min | ${SETS.slice(0, 4)
        .map(([, l]) => l)
        .join(" | ")} |`,
      "|---|---:|---|---|---|---|",
    );
    for (const [i, x] of s.effects.entries()) {
      for (const d of det.filter((r) => r.scenario === s.key).sort((a, b) => a.rate - b.rate)) {
        const e = d.effects[i];
        push(
          `| ${s.show(x)} | ${int(d.rate)} | ${SETS.slice(0, 4)
            .map(([k]) => cell(e, k))
            .join(" | ")} |`,
        );
      }
    }
    push("");
  }

  push(...sequentialSections({ seqFa, seqDet, det, options }));

  push(
    "## CPU per deployment evaluation",
    "",
    `All ${cpu[0]?.rules ?? "the"} default rules on one window pair (15-minute window, baseline), each time on fresh copies of both buckets as a cron tick receives them; mean and p99 over the last 80 % of 300 runs. Deployments per tick: 30 s of CPU divided by (evaluation + structured clone, the clone standing in for receiving the pair over RPC). Not counted: the Durable Object's own work to merge buckets into the window, D1 writes of check results, and notifications (I/O wait is not CPU time on Workers).`,
    "",
    "| events/min | evaluate (mean / p99 ms) | clone (mean ms) | deployments per 30 s CPU |",
    "|---:|---:|---:|---:|",
    ...cpu.map(
      (c) =>
        `| ${int(c.rate)} | ${c.evaluate.mean.toFixed(2)} / ${c.evaluate.p99.toFixed(2)} | ${c.clone.mean.toFixed(2)} | ${int(BUDGET_MS / (c.evaluate.mean + c.clone.mean))} |`,
    ),
    "",
  );

  push(...methodNotes(options));
  return `${lines.join("\n")}\n`;
}

function methodNotes(options) {
  const p = STATIONARY;
  return [
    "## How the streams are simulated",
    "",
    `- Interactions arrive Poisson at 10, 100, 1,000 and 10,000 a minute. Each has status error ${p.error * 100} %, timeout ${p.timeout * 100} %, refused ${p.refused * 100} %, filtered ${p.filtered * 100} %; unanswered ${p.unanswered * 100} %, escalated ${p.escalated * 100} %; ${p.rated * 100} % carry a thumb, ${p.thumbsDown * 100} % of thumbs down; latency lognormal (median ${p.latencyMedian} ms, σ ${p.latencySigma}: p95 ≈ 1.26 s), ttft lognormal (median ${p.ttftMedian} ms); output tokens lognormal (median ${p.tokensMedian}, σ ${p.tokensSigma}) and chars ≈ ${p.charsPerToken} per token; retrieval top score normal (${p.retrievalMean}, ${p.retrievalSd}); model 90/10 between two models; finish reason stop/length/content_filter 96/3/1 %; cost from tokens. Events go through the real \`addEvent\` into one-minute buckets.`,
    "- Month runs: minutes are drawn at random from a pool of simulated minutes (5,000 minutes at 10 and 100/min, 2,500 at 1,000/min, 250 at 10,000/min), since generating 432 million events for the top level would take an hour; stationary minutes are exchangeable, so this samples the same distribution. At 10,000/min a window shares 6 % of the pool, which lowers the variance of window-vs-baseline differences by about that much.",
    "- Every minute: a 15-minute sliding window (5 minutes for the traffic rule) against a rolling baseline of the 168 complete hours before the newest one, rebuilt hourly from hour buckets, after a 7-day warm-up. Incidents follow the incident machine: a breach opens a pending episode that fires after `for` minutes of breaches, ok clears it, insufficient data holds it.",
    `- Step changes: ${options.replicates} runs per cell; the window starts full of normal minutes, then changed minutes arrive; the baseline is the merged normal pool. Runs stop at the first incident on the scenario's metric or after ${options.horizon} minutes. Only rules on that metric are evaluated.`,
    "- Evidently-style: Evidently's default drift tests, picked per metric by the window's expected size n: at n ≤ 1,000 two-sided z-test (rates), KS (numbers), chi-squared (categories) at p < 0.05; above, Jensen-Shannon distance ≥ 0.1 (rates, categories; base 2, where Evidently's natural-log distance of 0.1 is 0.12 here, so ours fires slightly sooner) and Wasserstein / baseline std ≥ 0.1 (numbers). Static: thumbs-down > 8 %, errors > 3 %, p95 latency > 2 s, p95 output > 3,000 chars, cost > $0.007 (≈ 1.5× normal), n ≥ 20.",
    "",
    "## What the defaults trade away",
    "",
    "- Effects below the effect floors are not alerted, by design: latency × 1.25 (floor: p95 × 1.5), output length × 1.1 (PSI ≈ 0.02 < 0.1; × 1.25 gives 0.13), errors + 1 point (floor: 2 points). Evidently-style tests catch those within minutes, but the same tests raise 96 to 1,420 false alarms a month at 10 to 100 events/min; above 1,000 a window their distances stop false-alarming, and their JS ≥ 0.1 misses every rate change in the grid.",
    "- At 10 events/min a 15-minute window holds 150 interactions and 30 thumbs: the thumbs-down rule waits for 50 thumbs (insufficient data), and the exact tail that removes ~100 false alarms a month makes moderate rate changes take 25+ minutes or miss. A longer `window_minutes` on a custom rule is the lever for low-traffic deployments.",
    "- Rate changes sitting exactly on a floor (errors 1 % → 3 % is Δ 2 points; latency × 1.5 is ratio 1.5) fire late or intermittently, as any threshold does at its edge.",
    "",
    "## Why 20 thumbs a minute cannot meet the 15-minute target",
    "",
    "A rate going from 5 % to 10 % carries KL(0.10 ‖ 0.05) = 0.021 nats of evidence per thumb. Even an optimal sequential detector (CUSUM) tuned to one false alarm a month (an average run length of 43,200 checks needs a threshold of about ln 43,200 ≈ 10.7 nats) needs ≈ 10.7 / (0.021 × 20) ≈ 26 minutes of changed traffic at 20 thumbs a minute, and ≈ 5 minutes at 100. The target is therefore read in thumbs: 100 rated events a minute.",
    "",
    "## Tuning: what changed from the first thresholds and why",
    "",
    'The "first thresholds, untuned" column runs the table exactly as written (rates z ≥ 3 and Δ ≥ 2 points; mixes p < 0.001 and JS ≥ 0.1) in the same run.',
    "",
    "- Rates: z ≥ 3 and Δ ≥ 2 points alone false-alarm at low traffic (see the untuned column and its rules). With 1.5 expected errors in a window, z ≥ 3 means 6 errors, which Poisson(1.5) reaches 0.45 % of the time, not the 0.13 % the normal curve promises, and a sliding window re-enters that tail every few hours. The defaults now also require an exact Poisson tail p < 3e-5 (RATE_ALPHA).",
    "- Mixes: chi-squared p < 0.001 with JS ≥ 0.1 fires on a 90/10 model split seen through 150 requests (`for` 0 for the model mix); now p < 1e-6 (MIX_ALPHA). A new model is a new category with p ≈ 0 from its first requests, so a swap still fires in the first minute that shows it.",
    "- PSI: the 0.1 / 0.25 floors plus the no-drift quantile at 1 - 1e-5 (PSI_ALPHA), minimum 100 values; the fixed-floor column above shows what the quantile prevents at low traffic.",
    "- Traffic: a 5-minute window held 5 minutes (no data for 10 minutes fires), needing ≥ 20 expected events and a Poisson lower tail p < 1e-6.",
    "",
  ];
}
