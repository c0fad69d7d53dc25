// bench/detection-arl: the true in-control ARL of every arm the Worker builds for the default
// set, against its target. Each arm is designed by the real designBernoulliBank (the Worker's
// budget split: 30 days per deployment, 12 sequential metrics, 3 streams per distribution, 5 arms
// per bank) and its ARL computed by a Markov chain (Brook & Evans 1972) on the exact law of a
// minute's increment: x successes ~ Poisson(λ p0) and y failures ~ Poisson(λ (1 - p0)) give
// Z = x ln(p1/p0) + y ln((1 - p1)/(1 - p0)); the statistic's 0 is an atom, (0, h) is cut into
// 400 cells. The normal-score arms of the distribution rules (designScoreBank) get the same
// chain on a minute's N ~ Poisson(λ) scores taken as standard normal (drift/markov-arl.ts).
// Arms whose minute's sd is too small for the cells are simulated (importance sampling).
// Writes bench/results/detection-arl.md.
// Usage: node bench/detection-arl.mjs
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { logGamma } from "../src/drift/gamma.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "driftwatch-arl-"));
const outfile = join(dir, "drift.mjs");
await build({
  stdin: {
    contents: `export * from "./src/drift"; export { metricArl0 } from "./src/alerts/evaluation/sequential";`,
    resolveDir: join(HERE, ".."),
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile,
  logLevel: "warning",
});
const d = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

const CELLS = 400;
/** Most cells for an arm whose minute's sd is small against h (a dense solve, n^3 / 3). */
const MAX_CELLS = 1600;
/**
 * Cells a minute's sd must cover for the chain to be trusted. At 400 cells, unanswered 1.5 and
 * thumbs-down 2 at 10/min (sd 7-8 cells) came out at 0.85x and 0.74x their target; at 20 cells
 * an sd, with the same thresholds, 1.4x and 1.9x: the midpoint rounding of each minute's small
 * steps had biased the slow drift back to 0, not the thresholds. Arms with sd 5-12 cells swung
 * from 0.1x to 390x between 400 and 1,600 cells.
 */
const SD_CELLS = 20;
/** 400 cells, or enough that a minute's sd covers SD_CELLS of them (up to MAX_CELLS). */
const cellsFor = (h, sd) => Math.min(MAX_CELLS, Math.max(CELLS, Math.ceil((SD_CELLS * h) / sd)));
const LEVELS = [10, 100, 1000, 10_000];
const METRICS = 12;
const STREAMS = [
  { name: "error", p0: 0.01, per: 1 },
  { name: "timeout", p0: 0.005, per: 1 },
  { name: "refusal", p0: 0.01, per: 1 },
  { name: "filtered", p0: 0.003, per: 1 },
  { name: "unanswered", p0: 0.03, per: 1 },
  { name: "escalation", p0: 0.02, per: 1 },
  { name: "thumbs-down", p0: 0.05, per: 0.2 },
  { name: "above median", p0: 0.5, per: 1, streams: 3 },
  { name: "above p95", p0: 0.05, per: 1, streams: 3 },
];

/** Poisson probabilities over mean ± 8 sd (and at least 0..30). */
function poisson(mu) {
  const lo = Math.max(0, Math.floor(mu - 8 * Math.sqrt(mu) - 5));
  const hi = Math.ceil(mu + 8 * Math.sqrt(mu) + 30);
  const ks = [];
  const ps = [];
  for (let k = lo; k <= hi; k++) {
    ks.push(k);
    ps.push(Math.exp(k * Math.log(mu) - mu - logGamma(k + 1)));
  }
  return { ks, ps };
}

/** The increment's law, sorted, with its cumulative probabilities. */
function incrementLaw(lambda, p0, s, f) {
  const x = poisson(lambda * p0);
  const y = poisson(lambda * (1 - p0));
  const points = [];
  for (let i = 0; i < x.ks.length; i++) {
    for (let j = 0; j < y.ks.length; j++) {
      const pr = x.ps[i] * y.ps[j];
      if (pr > 1e-300) points.push([x.ks[i] * s + y.ks[j] * f, pr]);
    }
  }
  points.sort((a, b) => a[0] - b[0]);
  const z = new Float64Array(points.length);
  const cum = new Float64Array(points.length + 1);
  // Tails summed from the top keep their relative precision where 1 - cdf would be roundoff.
  const tail = new Float64Array(points.length + 1);
  points.forEach(([v, pr], i) => {
    z[i] = v;
    cum[i + 1] = cum[i] + pr;
  });
  for (let i = points.length - 1; i >= 0; i--) tail[i] = tail[i + 1] + points[i][1];
  return { z, cum, tail };
}

/** Index of the first point above v. */
function above(law, v) {
  let lo = 0;
  let hi = law.z.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (law.z[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** P(Z <= v) from the sorted law. */
const cdf = (law, v) => law.cum[above(law, v)];
/** P(Z > v), summed from the top. */
const sf = (law, v) => law.tail[above(law, v)];

/**
 * ARL from 0 of max(0, S + Z) crossing h, by renewal: a cycle leaves the atom 0 and ends back
 * at 0 or at h. On the cells of (0, h) the chain is transient, so (I - Q) u = P(to h) and
 * (I - Q) t = 1 are well conditioned even when the ARL is astronomically long; then
 * ARL = E[cycle length] / P(cycle ends at h) (Wald's identity over i.i.d. cycles).
 */
function markovArl(law, h, n) {
  const w = h / n;
  const value = (i) => (i + 0.5) * w;
  const a = Array.from({ length: n }, () => new Float64Array(n + 2));
  for (let i = 0; i < n; i++) {
    const v = value(i);
    const row = a[i];
    row[i] += 1;
    for (let j = 0; j < n; j++) row[j] -= cdf(law, (j + 1) * w - v) - cdf(law, j * w - v);
    row[n] = sf(law, h - v - 1e-12);
    row[n + 1] = 1;
  }
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    [a[c], a[piv]] = [a[piv], a[c]];
    const pc = a[c][c];
    for (let r = c + 1; r < n; r++) {
      const k = a[r][c] / pc;
      if (k === 0) continue;
      for (let j = c; j <= n + 1; j++) a[r][j] -= k * a[c][j];
    }
  }
  const u = new Float64Array(n);
  const t = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let su = a[r][n];
    let st = a[r][n + 1];
    for (let j = r + 1; j < n; j++) {
      su -= a[r][j] * u[j];
      st -= a[r][j] * t[j];
    }
    u[r] = su / a[r][r];
    t[r] = st / a[r][r];
  }
  let alarm = sf(law, h - 1e-12);
  let length = 1;
  for (let j = 0; j < n; j++) {
    const pj = cdf(law, (j + 1) * w) - cdf(law, j * w);
    alarm += pj * u[j];
    length += pj * t[j];
  }
  return length / alarm;
}

/** Mulberry32: a seeded uniform in [0, 1), so the simulated rows are reproducible. */
function uniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson(mu) by multiplying uniforms (mu here is at most about 100). */
function poissonDraw(mu, u) {
  const l = Math.exp(-mu);
  let k = 0;
  let prod = u();
  while (prod > l) {
    k++;
    prod *= u();
  }
  return k;
}

const SIM_CYCLES = 100_000;

/**
 * ARL for arms the chain cannot resolve, by the same renewal (ARL = E0[cycle] / P0(cycle ends
 * at h)), simulated: cycle lengths under p0 directly, P0(reach h) by importance sampling under
 * p1, where a cycle's likelihood ratio dP0/dP1 is e^-S (S the cycle's LLR sum, exact for
 * Poisson counts). Returns the ARL and its relative standard error (both estimates').
 */
function simulatedArl(lambda, p0, arm, h, seed) {
  const u = uniform(seed);
  let lengths = 0;
  let lengths2 = 0;
  for (let c = 0; c < SIM_CYCLES; c++) {
    let s = 0;
    let t = 0;
    do {
      s +=
        poissonDraw(lambda * p0, u) * arm.success + poissonDraw(lambda * (1 - p0), u) * arm.failure;
      t++;
    } while (s > 0 && s < h);
    lengths += t;
    lengths2 += t * t;
  }
  let sum = 0;
  let sum2 = 0;
  for (let c = 0; c < SIM_CYCLES; c++) {
    let s = 0;
    do {
      s +=
        poissonDraw(lambda * arm.p1, u) * arm.success +
        poissonDraw(lambda * (1 - arm.p1), u) * arm.failure;
    } while (s > 0 && s < h);
    const w = s >= h ? Math.exp(-s) : 0;
    sum += w;
    sum2 += w * w;
  }
  const p = sum / SIM_CYCLES;
  const se = Math.sqrt(Math.max(0, sum2 / SIM_CYCLES - p * p) / SIM_CYCLES);
  const meanLength = lengths / SIM_CYCLES;
  const lengthSe = Math.sqrt((lengths2 / SIM_CYCLES - meanLength ** 2) / SIM_CYCLES);
  return { arl: meanLength / p, rse: Math.hypot(se / p, lengthSe / meanLength) };
}

const started = performance.now();
const rows = [];
const arl0 = d.metricArl0(30, METRICS);
for (const level of LEVELS) {
  for (const st of STREAMS) {
    const lambda = level * st.per;
    const bank = d.designBernoulliBank({
      p0: st.p0,
      oddsRatios: d.RISE_ODDS_RATIOS,
      arl0: arl0 * (st.streams ?? 1),
      trialsPerStep: lambda,
    });
    const target = arl0 * (st.streams ?? 1) * bank.arms.length;
    bank.arms.forEach((arm, i) => {
      const mu0 = lambda * d.bernoulliKl(st.p0, arm.p1);
      const sd = Math.sqrt(lambda * (st.p0 * arm.success ** 2 + (1 - st.p0) * arm.failure ** 2));
      const method =
        sd < d.DIFFUSION_SD_LIMIT
          ? "Siegmund"
          : arm.threshold > d.cusumThreshold(target, mu0, sd)
            ? "Lorden e^h"
            : "Siegmund";
      // Midpoint cells need a minute's spread to cover several of them; else the chain cannot
      // follow the slow drift back to 0 (the diffusion regime, which Siegmund's formula is for).
      const n = cellsFor(arm.threshold, sd);
      const resolved = sd >= SD_CELLS * (arm.threshold / n) * 0.999;
      const arl = resolved
        ? markovArl(incrementLaw(lambda, st.p0, arm.success, arm.failure), arm.threshold, n)
        : Number.NaN;
      const sim = resolved
        ? null
        : simulatedArl(lambda, st.p0, arm, arm.threshold, 1000 * level + rows.length);
      rows.push({
        sim,
        level,
        stream: st.name,
        ratio: d.RISE_ODDS_RATIOS[i],
        h: arm.threshold,
        sd,
        method,
        arl,
        target,
      });
    });
  }
  // The distribution rules' third stream: the normal-score bank (its budget a third, as above).
  const scores = d.designScoreBank({
    p0: 0.5,
    shifts: d.SCORE_SHIFTS,
    arl0: arl0 * 3,
    valuesPerStep: level,
  });
  const target = arl0 * 3 * scores.arms.length;
  for (const arm of scores.arms) {
    const mu0 = (level * arm.shift ** 2) / 2;
    const sd = arm.shift * Math.sqrt(level);
    const method =
      sd < d.DIFFUSION_SD_LIMIT
        ? "Siegmund"
        : arm.threshold > d.cusumThreshold(target, mu0, sd)
          ? "Lorden e^h"
          : "Siegmund";
    const n = cellsFor(arm.threshold, sd);
    const resolved = sd >= SD_CELLS * (arm.threshold / n) * 0.999;
    const arl = resolved
      ? d.markovChainArl(d.scoreIncrementLaw(level, arm.shift), arm.threshold, n)
      : Number.NaN;
    rows.push({
      level,
      stream: "normal score",
      ratio: `${arm.shift} sd`,
      h: arm.threshold,
      sd,
      method,
      arl,
      target,
    });
  }
  console.log(`${level}/min done`);
}
const fmt = (x) => (Number.isNaN(x) ? "—" : x.toExponential(2));
const checked = rows.filter((r) => !Number.isNaN(r.arl));
const below = checked.filter((r) => r.arl < r.target);
const scoreRows = rows.filter((r) => r.stream === "normal score");
const scoreChecked = scoreRows.filter((r) => !Number.isNaN(r.arl));
const scoreMin = Math.min(...scoreChecked.map((r) => r.arl / r.target));
const table = rows
  .map(
    (r) =>
      `| ${r.level.toLocaleString("en")} | ${r.stream} | ${r.ratio} | ${r.h.toFixed(2)} | ${r.sd.toFixed(2)} | ${r.method} | ${fmt(r.arl)} | ${fmt(r.target)} | ${Number.isNaN(r.arl) ? (r.sim ? `${(r.sim.arl / r.target).toFixed(2)} (simulated, ${fmt(r.sim.arl)} ± ${(100 * r.sim.rse).toFixed(0)} %)` : "not resolved by the cells") : (r.arl / r.target).toFixed(2)} |`,
  )
  .join("\n");
const seconds = (performance.now() - started) / 1000;
writeFileSync(
  join(HERE, "results", "detection-arl.md"),
  `# In-control ARL of every default arm

\`node bench/detection-arl.mjs\`: each arm designed by designBernoulliBank as the Worker designs it
(one false alarm per 30 days per deployment over 12 sequential metrics; distributions split over 3
streams: above the median, above p95 and the normal-score bank; 5 arms a bank), its true ARL from a
Markov chain (Brook & Evans) on the exact law of a minute's increment (Poisson successes and
failures), 0 an atom and (0, h) in ${CELLS} cells, or as many (up to ${MAX_CELLS}) as give a minute's sd ${SD_CELLS} of them. The normal-score arms (designScoreBank; the
"odds ratio" column holds their shift) use the same chain on N ~ Poisson(events/min) scores a
minute taken as standard normal, Z = δ·S − N·δ²/2 (src/drift/markov-arl.ts, whose test gives the
standard k = 0.5 CUSUM's 168 and 465 at h = 4 and 5). p0 as in bench/detection's stationary
traffic; thumbs arrive at 20 % of the event rate. Method: how h was set (Siegmund's approximation,
or Lorden's bound ARL ≥ e^h where the minute's sd ≥ 1 nat).

**${checked.length - below.length} of ${checked.length} arms the chain resolves at or above target** (${rows.length - checked.length} of ${rows.length} arms have a minute's sd under ${SD_CELLS} of ${MAX_CELLS} cells: the chain does not converge there; their h is below ln ARL₀, so Lorden's bound does not cover them; their ARL is simulated instead, ${SIM_CYCLES.toLocaleString("en")} renewal cycles under p0 and as many under p1 by importance sampling, ± one standard error)${below.length ? ` (below: ${below.map((r) => `${r.stream} ${r.ratio} at ${r.level}/min ${(r.arl / r.target).toFixed(2)}×`).join(", ")})` : ""}.

Normal-score arms: **${scoreChecked.filter((r) => r.arl >= r.target).length} of ${scoreChecked.length} resolved at or above target** (${scoreRows.length - scoreChecked.length} unresolved), the lowest at ${scoreMin.toFixed(2)}× its target.

| events/min | stream | odds ratio | h | sd/min | method | ARL | target | ARL / target |
| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |
${table}

Run time ${seconds.toFixed(0)} s.
`,
);
console.log(`wrote bench/results/detection-arl.md: ${below.length} of ${rows.length} below target`);
