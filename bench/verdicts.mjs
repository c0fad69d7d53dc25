// bench/verdicts: release verdicts (src/verdicts/) on simulated concurrent traffic at 10, 100
// and 1,000 events/min with candidate shares 5 %, 20 % and 50 %:
//   A/A   false-fail rate over --aa releases per cell (half through a shared outage that
//         multiplies every rate of both arms by 3, and latency and output length by 2, for
//         an hour), each watched every minute until it passes or for 24 h;
//   A/B   median minutes to fail (thumbs-down 5 → 10 %, error 1 → 3 %, latency ×1.5,
//         output length ×1.25) beside the two-sample information bound and beside today's
//         whole-window rule for that signal on the same stream;
//   pass  median minutes to pass for an equal candidate.
// Writes bench/results/verdicts.md. Usage: node bench/verdicts.mjs [--aa 2000 --ab 200]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAlerts } from "./lib/load-alerts.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const AA = arg("aa", 2000);
const AB = arg("ab", 200);
const RATES = [10, 100, 1000];
const SHARES = [0.05, 0.2, 0.5];
const HORIZON = 24 * 60;
const THUMBS_SHARE = 0.2; // interactions that carry a thumb

// The statistics the Worker runs, bundled for node: the verdicts and (for the window rules) drift.
const v = await loadAlerts('export * from "./src/verdicts";');
const drift = await loadAlerts('export * from "./src/drift";');

function rng(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
function poisson(r, mean) {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = r();
  while (p > limit) {
    k += 1;
    p *= r();
  }
  return k;
}
function binomial(r, n, p) {
  if (n * p > 30 && n * (1 - p) > 30) {
    const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(r));
    return Math.min(n, Math.max(0, x));
  }
  let x = 0;
  for (let i = 0; i < n; i++) if (r() < p) x += 1;
  return x;
}
/** Counts of n draws over bins of probabilities p (summing to 1). */
function multinomial(r, n, p) {
  let left = n;
  let mass = 1;
  return p.map((q) => {
    const x = left > 0 && mass > 0 ? binomial(r, left, Math.min(1, Math.max(0, q / mass))) : 0;
    left -= x;
    mass -= q;
    return x;
  });
}

// Rate signals: [incumbent, candidate] rates. Distributions: [incumbent, candidate] scale
// factors on a lognormal (latency σ 0.5, output tokens σ 0.7), drawn per minute as counts in
// bins cut at the incumbent's quantiles, so the verdict's exceedance rate and the window
// rules read the same values: latency ×1.5 moves the share above the incumbent's p90 from
// 10 % to P(Z > 1.2816 − ln 1.5 / 0.5) = 31.9 %; output ×1.25 the share above its median to
// P(Z > −ln 1.25 / 0.7) = 62.5 %.
const EQUAL = {
  error_rate: [0.01, 0.01],
  thumbs_down_rate: [0.05, 0.05],
  latency_p90_exceedance: [1, 1],
  output_tokens_p50_exceedance: [1, 1],
};
const AB_SCENARIOS = {
  "thumbs-down 5 → 10 %": { ...EQUAL, thumbs_down_rate: [0.05, 0.1] },
  "error 1 → 3 %": { ...EQUAL, error_rate: [0.01, 0.03] },
  "latency ×1.5": { ...EQUAL, latency_p90_exceedance: [1, 1.5] },
  "output length ×1.25": { ...EQUAL, output_tokens_p50_exceedance: [1, 1.25] },
};
const DECIDING = {
  "thumbs-down 5 → 10 %": "thumbs_down_rate",
  "error 1 → 3 %": "error_rate",
  "latency ×1.5": "latency_p90_exceedance",
  "output length ×1.25": "output_tokens_p50_exceedance",
};

/**
 * Distributed signals as bins cut at the incumbent's quantiles (z of its normal log-value),
 * the verdict counting the bins from `above` on: latency at its p90 and at 1.5× its p95
 * (today's quantile-ratio rule), output tokens at its deciles (today's PSI rule, 10 bins).
 */
const Z95 = 1.6448536269514722;
const DISTRIBUTIONS = {
  latency_p90_exceedance: {
    sigma: 0.5,
    edges: [1.2815515655446004, Z95 + Math.log(1.5) / 0.5],
    above: 1,
  },
  output_tokens_p50_exceedance: {
    sigma: 0.7,
    edges: Array.from({ length: 9 }, (_, i) => drift.normalQuantile((i + 1) / 10)),
    above: 5,
  },
};
/** Bin probabilities for values scaled by `factor` (a shift of ln factor / σ in z). */
function binProbabilities({ sigma, edges }, factor) {
  const shift = Math.log(factor) / sigma;
  const cdf = [0, ...edges.map((z) => drift.normalCdf(z - shift)), 1];
  return cdf.slice(1).map((c, i) => c - (cdf[i] ?? 0));
}
/** A shared shock: rates ×3, latency and output length ×2, on both arms for an hour. */
const SHOCK = { rate: 3, scale: 2 };

/**
 * Today's whole-window rules on the same stream, approximated: the deployment's mixed
 * 15-minute window against the incumbent as the (7-day, so exact) baseline, firing when the
 * rule's condition holds 5 minutes in a row (default-rules.ts; the CUSUM rules beside them
 * are not modelled):
 *   rates          z >= 3, the rate rose by >= 2 points and the exact Poisson tail < 3e-5;
 *   latency        p95 >= 1.5 × the baseline's p95 (more than 5 % of the window above 1.5×
 *                  the incumbent's p95), n >= 50;
 *   output length  PSI over the baseline's deciles >= the larger of 0.1 and its no-drift
 *                  quantile at 1e-5 (psiCalibratedQuantile), n >= 100.
 */
function poissonTail(x, mean) {
  // P(X >= x) = 1 - sum_{k < x} e^-mean mean^k / k!, summed in log space.
  let logPmf = -mean;
  let below = 0;
  for (let k = 0; k < x; k++) {
    below += Math.exp(logPmf);
    logPmf += Math.log(mean) - Math.log(k + 1);
  }
  return Math.max(0, 1 - below);
}

/** A 15-minute sliding window of per-minute counts; fires once `holds(sums)` held 5 minutes. */
function slidingRule(holds) {
  const window = [];
  let held = 0;
  return (minute, counts) => {
    window.push(counts);
    if (window.length > 15) window.shift();
    const sums = counts.map((_, j) => window.reduce((t, w) => t + (w[j] ?? 0), 0));
    held = holds(sums) ? held + 1 : 0;
    return held >= 5 ? minute + 1 : null;
  };
}

function rateRule(pa) {
  return slidingRule(([x, n]) => {
    const rate = n > 0 ? x / n : 0;
    const z = n >= 50 ? (rate - pa) / Math.sqrt((pa * (1 - pa)) / n) : 0;
    return z >= 3 && rate - pa >= 0.02 && poissonTail(x, n * pa) < 3e-5;
  });
}

const latencyRule = () =>
  slidingRule((bins) => {
    const n = bins.reduce((t, x) => t + x, 0);
    return n >= 50 && (bins[2] ?? 0) / n > 0.05;
  });

function psiRule(baselineValues) {
  const baseline = Array.from({ length: 10 }, () => baselineValues / 10);
  const floors = new Map();
  return slidingRule((bins) => {
    const n = bins.reduce((t, x) => t + x, 0);
    if (n < 100) return false;
    if (!floors.has(n)) {
      floors.set(n, Math.max(0.1, drift.psiCalibratedQuantile(10, baselineValues, n, 1e-5)));
    }
    return drift.psi(baseline, bins) >= floors.get(n);
  });
}

/** Today's rule for a signal, and the per-minute counts of the mixed stream it reads. */
function windowRule(signal, rates, perMinute) {
  if (signal === "latency_p90_exceedance") return { step: latencyRule(), read: "bins" };
  if (signal === "output_tokens_p50_exceedance") {
    return { step: psiRule(perMinute * 7 * 24 * 60), read: "bins" };
  }
  return { step: rateRule(rates[signal][0]), read: "rate" };
}

/** Per-minute bin probabilities of a distributed signal for each factor (cached). */
const binCache = new Map();
function binsFor(signal, factor) {
  const key = `${signal} ${factor}`;
  if (!binCache.has(key)) binCache.set(key, binProbabilities(DISTRIBUTIONS[signal], factor));
  return binCache.get(key);
}
const aboveOf = (signal, bins) =>
  bins.slice(DISTRIBUTIONS[signal].above).reduce((t, x) => t + x, 0);

function simulate(rates, perMinute, share, seed, shock, ruleSignal) {
  const r = rng(seed);
  const start = 0;
  let a = v.startAnalysis(start, Object.keys(rates));
  const rule = ruleSignal ? windowRule(ruleSignal, rates, perMinute) : null;
  let ruleAt = null;
  for (let i = 0; i < HORIZON && (a.state === "pending" || (rule && ruleAt === null)); i++) {
    const nb = poisson(r, perMinute * share);
    const na = poisson(r, perMinute * (1 - share));
    const shocked = shock && i >= 60 && i < 120;
    const incumbent = {};
    const candidate = {};
    const mixed = {};
    for (const [signal, [pa, pb]] of Object.entries(rates)) {
      if (DISTRIBUTIONS[signal]) {
        const s = shocked ? SHOCK.scale : 1;
        const ba = multinomial(r, na, binsFor(signal, pa * s));
        const bb = multinomial(r, nb, binsFor(signal, pb * s));
        incumbent[signal] = { x: aboveOf(signal, ba), n: na };
        candidate[signal] = { x: aboveOf(signal, bb), n: nb };
        mixed[signal] = ba.map((x, j) => x + (bb[j] ?? 0));
        continue;
      }
      const f = shocked ? SHOCK.rate : 1;
      const thumbs = signal === "thumbs_down_rate";
      const ma = thumbs ? binomial(r, na, THUMBS_SHARE) : na;
      const mb = thumbs ? binomial(r, nb, THUMBS_SHARE) : nb;
      incumbent[signal] = { x: binomial(r, ma, Math.min(1, pa * f)), n: ma };
      candidate[signal] = { x: binomial(r, mb, Math.min(1, pb * f)), n: mb };
      mixed[signal] = [incumbent[signal].x + candidate[signal].x, ma + mb];
    }
    const minute = {
      minute: i * 60_000,
      requests: { incumbent: na, candidate: nb },
      incumbent,
      candidate,
    };
    a = v.stepAnalysis(a, [minute], (i + 1) * 60_000);
    if (rule && ruleAt === null) ruleAt = rule.step(i, mixed[ruleSignal]);
  }
  return { state: a.state, minutes: a.decidedAt === null ? null : a.decidedAt / 60_000, ruleAt };
}

/** The rates the verdict compares: a distributed signal's share above its threshold per arm. */
const exceedance = (signal, pair) =>
  DISTRIBUTIONS[signal] ? pair.map((f) => aboveOf(signal, binsFor(signal, f))) : pair;

/** Wald's bound on the expected information to decide at error alpha/K: 2 ln(K/alpha)/Δ², in minutes. */
function informationBound(perMinute, share, [pa, pb], signal, k) {
  const m = signal === "thumbs_down_rate" ? THUMBS_SHARE : 1;
  const na = perMinute * (1 - share) * m;
  const nb = perMinute * share * m;
  const infoPerMinute = 1 / ((pa * (1 - pa)) / na + (pb * (1 - pb)) / nb);
  const alpha = v.DEFAULT_VERDICT_OPTIONS.alpha / k;
  return (2 * Math.log(1 / alpha)) / ((pb - pa) ** 2 * infoPerMinute);
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((x, y) => x - y);
  if (s.length < xs.length / 2) return null; // most never decided
  return s[Math.floor((xs.length - 1) / 2)] ?? null;
};
const fmt = (x) =>
  x === null ? "> 24 h" : x < 120 ? `${Math.round(x)} min` : `${(x / 60).toFixed(1)} h`;

const started = Date.now();
const lines = [];
lines.push("# Release verdicts bench", "");
lines.push(
  `\`npm run bench:verdicts\` (node bench/verdicts.mjs --aa ${AA} --ab ${AB}), ${new Date().toISOString().slice(0, 10)}.`,
  `Signals: error (1 %), thumbs-down (5 %, thumbs on ${THUMBS_SHARE * 100} % of interactions), latency above the incumbent's p90, output tokens above its median; alpha = ${v.DEFAULT_VERDICT_OPTIONS.alpha} for a false fail over all signals (Bonferroni, K = 4), pass at ${v.DEFAULT_VERDICT_OPTIONS.passAlpha} per signal after ${v.DEFAULT_VERDICT_OPTIONS.minDurationMs / 60_000} min, 24 h horizon.`,
  "",
  "## A/A: false fails",
  "",
  `Equal candidates, ${AA} releases per cell, half of them through a shared outage (on both arms for an hour: every rate ×3, latency and output length ×2). Each is looked at every minute until it passes or 24 h pass.`,
  "",
  "| events/min | share | false fails | of which in a shock | passed | median time to pass |",
  "| ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const rate of RATES) {
  for (const share of SHARES) {
    let fails = 0;
    let shockFails = 0;
    let passes = 0;
    const passTimes = [];
    for (let i = 0; i < AA; i++) {
      const shock = i % 2 === 0;
      const res = simulate(EQUAL, rate, share, 1_000_000 + rate * 10_000 + share * 1000 + i, shock);
      if (res.state === "fail") {
        fails += 1;
        if (shock) shockFails += 1;
      }
      if (res.state === "pass") passes += 1;
      passTimes.push(res.state === "pass" ? res.minutes : null);
    }
    lines.push(
      `| ${rate} | ${share * 100} % | ${fails} (${((100 * fails) / AA).toFixed(2)} %) | ${shockFails} | ${((100 * passes) / AA).toFixed(1)} % | ${fmt(median(passTimes))} |`,
    );
    console.error(
      `A/A ${rate}/min ${share}: ${fails} fails (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  }
}
lines.push(
  "",
  "## A/B: time to fail",
  "",
  `${AB} releases per cell; the bound is Wald's lower bound on the information a sequential test at alpha/K needs, 2 ln(K/alpha)/Δ², turned into minutes at that traffic and share; "ratio" is the median over the bound, and "in whole minutes" over the bound rounded up to a whole minute (a verdict steps once per complete minute, so where the bound is under a minute no verdict can come near it). "Window rule": median minutes until today's whole-window rule for that signal fires on the same mixed stream, its 15-minute window against the incumbent as baseline, for 5 minutes (rates: z >= 3, >= 2 points and Poisson tail < 3e-5; latency: p95 >= 1.5× the baseline's; output length: PSI over the baseline's deciles >= max(0.1, its no-drift quantile at 1e-5); the CUSUM rules beside them not modelled), "> 24 h" when it mostly never fires.`,
  "",
  "| change | events/min | share | failed | median time to fail | information bound | ratio | in whole minutes | window rule |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const [name, rates] of Object.entries(AB_SCENARIOS)) {
  for (const rate of RATES) {
    for (const share of SHARES) {
      const times = [];
      const ruleTimes = [];
      let fails = 0;
      for (let i = 0; i < AB; i++) {
        const seed = 5_000_000 + rate * 10_000 + share * 1000 + i;
        const res = simulate(rates, rate, share, seed, false, DECIDING[name]);
        ruleTimes.push(res.ruleAt);
        if (res.state === "fail") fails += 1;
        times.push(res.state === "fail" ? res.minutes : null);
      }
      const signal = DECIDING[name];
      const bound = informationBound(
        rate,
        share,
        exceedance(signal, rates[signal]),
        signal,
        Object.keys(rates).length,
      );
      const m = median(times);
      lines.push(
        `| ${name} | ${rate} | ${share * 100} % | ${((100 * fails) / AB).toFixed(0)} % | ${fmt(m)} | ${fmt(bound)} | ${m === null ? "–" : (m / bound).toFixed(1)} | ${m === null ? "–" : (m / Math.max(1, Math.ceil(bound))).toFixed(1)} | ${fmt(median(ruleTimes))} |`,
      );
    }
  }
  console.error(`A/B ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
}
lines.push("", `Run time: ${Math.round((Date.now() - started) / 1000)} s.`, "");
writeFileSync(join(HERE, "results", "verdicts.md"), lines.join("\n"));
console.error("wrote bench/results/verdicts.md");
