// bench/verdicts: release verdicts (src/verdicts/) on simulated concurrent traffic at 10, 100
// and 1,000 events/min with candidate shares 5 %, 20 % and 50 %:
//   A/A   false-fail rate over --aa releases per cell (half through a shared outage that
//         multiplies every rate of both arms by 3 for an hour), each watched every minute
//         until it passes or for 24 h;
//   A/B   median minutes to fail (thumbs-down 5 → 10 %, error 1 → 3 %, latency ×1.5,
//         output length ×1.25) beside the two-sample information bound;
//   pass  median minutes to pass for an equal candidate.
// Writes bench/results/verdicts.md. Usage: node bench/verdicts.mjs [--aa 2000 --ab 200]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

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

const dir = mkdtempSync(join(tmpdir(), "driftwatch-verdicts-"));
const outfile = join(dir, "verdicts.mjs");
await build({
  entryPoints: [join(HERE, "..", "src", "verdicts", "index.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outfile,
  logLevel: "warning",
});
const v = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

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

// Signals as rates: [incumbent, candidate]. Latency lognormal σ 0.5: ×1.5 moves the share above
// the incumbent's p90 from 10 % to P(Z > 1.2816 − ln 1.5 / 0.5) = 31.9 %; output tokens
// lognormal σ 0.7: ×1.25 moves the share above the median to P(Z > −ln 1.25 / 0.7) = 62.5 %.
const EQUAL = {
  error_rate: [0.01, 0.01],
  thumbs_down_rate: [0.05, 0.05],
  latency_p90_exceedance: [0.1, 0.1],
  output_tokens_p50_exceedance: [0.5, 0.5],
};
const AB_SCENARIOS = {
  "thumbs-down 5 → 10 %": { ...EQUAL, thumbs_down_rate: [0.05, 0.1] },
  "error 1 → 3 %": { ...EQUAL, error_rate: [0.01, 0.03] },
  "latency ×1.5": { ...EQUAL, latency_p90_exceedance: [0.1, 0.3187] },
  "output length ×1.25": { ...EQUAL, output_tokens_p50_exceedance: [0.5, 0.625] },
};
const DECIDING = {
  "thumbs-down 5 → 10 %": "thumbs_down_rate",
  "error 1 → 3 %": "error_rate",
  "latency ×1.5": "latency_p90_exceedance",
  "output length ×1.25": "output_tokens_p50_exceedance",
};

/**
 * Today's whole-window rate rule on the same stream, approximated: the deployment's mixed
 * 15-minute window against the incumbent's rate as the (7-day, so exact) baseline, firing
 * when z >= 3, the rate rose by >= 2 points and the exact Poisson tail is < 3e-5, for 5
 * minutes in a row (default-rules.ts; the CUSUM rules beside it are not modelled).
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

function windowRule(signal, pa) {
  const window = [];
  let held = 0;
  return (minute, incumbent, candidate) => {
    window.push([
      incumbent[signal].x + candidate[signal].x,
      incumbent[signal].n + candidate[signal].n,
    ]);
    if (window.length > 15) window.shift();
    const x = window.reduce((t, w) => t + w[0], 0);
    const n = window.reduce((t, w) => t + w[1], 0);
    const rate = n > 0 ? x / n : 0;
    const z = n >= 50 ? (rate - pa) / Math.sqrt((pa * (1 - pa)) / n) : 0;
    held = z >= 3 && rate - pa >= 0.02 && poissonTail(x, n * pa) < 3e-5 ? held + 1 : 0;
    return held >= 5 ? minute + 1 : null;
  };
}

function simulate(rates, perMinute, share, seed, shock, ruleSignal) {
  const r = rng(seed);
  const start = 0;
  let a = v.startAnalysis(start, Object.keys(rates));
  const rule = ruleSignal ? windowRule(ruleSignal, rates[ruleSignal][0]) : null;
  let ruleAt = null;
  for (let i = 0; i < HORIZON && (a.state === "pending" || (rule && ruleAt === null)); i++) {
    const nb = poisson(r, perMinute * share);
    const na = poisson(r, perMinute * (1 - share));
    const f = shock && i >= 60 && i < 120 ? 3 : 1;
    const incumbent = {};
    const candidate = {};
    for (const [signal, [pa, pb]] of Object.entries(rates)) {
      const thumbs = signal === "thumbs_down_rate";
      const ma = thumbs ? binomial(r, na, THUMBS_SHARE) : na;
      const mb = thumbs ? binomial(r, nb, THUMBS_SHARE) : nb;
      incumbent[signal] = { x: binomial(r, ma, Math.min(1, pa * f)), n: ma };
      candidate[signal] = { x: binomial(r, mb, Math.min(1, pb * f)), n: mb };
    }
    const minute = {
      minute: i * 60_000,
      requests: { incumbent: na, candidate: nb },
      incumbent,
      candidate,
    };
    a = v.stepAnalysis(a, [minute], (i + 1) * 60_000);
    if (rule && ruleAt === null) ruleAt = rule(i, incumbent, candidate);
  }
  return { state: a.state, minutes: a.decidedAt === null ? null : a.decidedAt / 60_000, ruleAt };
}

/** Wald's bound on the expected information to decide at error alpha/K: 2 ln(K/alpha)/Δ², in minutes. */
function informationBound(perMinute, share, [pa, pb], signal, k) {
  const m = signal === "thumbs_down_rate" ? THUMBS_SHARE : 1;
  const na = perMinute * (1 - share) * m;
  const nb = perMinute * share * m;
  const infoPerMinute = 1 / ((pa * (1 - pa)) / na + (pb * (1 - pb)) / nb);
  const alpha = v.DEFAULT_VERDICT_OPTIONS.alpha / k;
  return (2 * Math.log(1 / alpha)) / ((pb - pa) ** 2 * infoPerMinute);
}

const RATE_SIGNALS = new Set(["error_rate", "thumbs_down_rate"]);

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
  `Equal candidates, ${AA} releases per cell, half of them through a shared outage (every rate ×3 on both arms for an hour). Each is looked at every minute until it passes or 24 h pass.`,
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
  `${AB} releases per cell; the bound is Wald's lower bound on the information a sequential test at alpha/K needs, 2 ln(K/alpha)/Δ², turned into minutes at that traffic and share. "Window rule": median minutes until today's whole-window rate rule fires on the same mixed stream (15-minute window against the incumbent's rate, z >= 3, >= 2 points and Poisson tail < 3e-5, for 5 minutes; the CUSUM rules beside it not modelled), "> 24 h" when it mostly never fires.`,
  "",
  "| change | events/min | share | failed | median time to fail | information bound | ratio | window rule |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const [name, rates] of Object.entries(AB_SCENARIOS)) {
  for (const rate of RATES) {
    for (const share of SHARES) {
      const times = [];
      const ruleTimes = [];
      let fails = 0;
      const rated = RATE_SIGNALS.has(DECIDING[name]);
      for (let i = 0; i < AB; i++) {
        const seed = 5_000_000 + rate * 10_000 + share * 1000 + i;
        const res = simulate(rates, rate, share, seed, false, rated ? DECIDING[name] : null);
        ruleTimes.push(res.ruleAt);
        if (res.state === "fail") fails += 1;
        times.push(res.state === "fail" ? res.minutes : null);
      }
      const signal = DECIDING[name];
      const bound = informationBound(rate, share, rates[signal], signal, Object.keys(rates).length);
      const m = median(times);
      lines.push(
        `| ${name} | ${rate} | ${share * 100} % | ${((100 * fails) / AB).toFixed(0)} % | ${fmt(m)} | ${fmt(bound)} | ${m === null ? "–" : (m / bound).toFixed(1)} | ${rated ? fmt(median(ruleTimes)) : "not modelled"} |`,
      );
    }
  }
  console.error(`A/B ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
}
lines.push("", `Run time: ${Math.round((Date.now() - started) / 1000)} s.`, "");
writeFileSync(join(HERE, "results", "verdicts.md"), lines.join("\n"));
console.error("wrote bench/results/verdicts.md");
