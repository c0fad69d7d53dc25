// Generates src/drift/psi-null-table.ts: PSI's no-drift quantiles for 10 bins cut at the
// baseline's deciles, by simulation, where the chi-squared approximation fails (small samples).
// Usage: node scripts/psi-null-table.mjs [--draws 1000000] [--only 10000:150,0:200]
//   (the whole table: about half an hour on one core)
//
// Under no drift with continuous values, PSI's distribution depends only on (k, n, m): the
// baseline's counts per bin are fixed by its own quantile edges, the true mass of each bin is a
// sum of uniform spacings, Dirichlet(a) with a the ranks between edges, and the current counts
// are Multinomial(m, mass). Its tail is set by rare samples with a near-empty bin (an empty bin
// alone adds ~0.69 through the 1e-4 epsilon), so the tail is estimated by stratification:
//   P(PSI >= q) <= sum_i sum_{c=0,1} P(x_i = c) P(PSI >= q | x_i = c) + P(PSI >= q, min x >= 2)
// with P(x_i = c) exact (beta-binomial), the conditional terms simulated given x_i = c, and the
// last term by importance sampling. The union bound counts a sample with two thin bins twice,
// so the estimate errs high (conservative).
// The last term's tail at 1e-5 is too rare for plain draws (600,000 draws place ~6 samples in
// it), so the current counts come from a defensive mixture: half the draws from the null
// multinomial, half with one bin's mass (bin and direction at random) moved by ~4 standard
// errors, each weighted by its likelihood ratio, which the null half bounds by 2.
// --only n:m,... regenerates just those cells (n 0 for the exact-mass row) and keeps every other
// cell of the current table; a new n adds its row.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { logGamma } from "../src/drift/gamma.ts";
import * as current from "../src/drift/psi-null-table.ts";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DRAWS = arg("draws", 1_000_000);
const COND_DRAWS = arg("cond-draws", 20_000);
const K = 10;
const EPS = 1e-4;
const ALPHAS = [1e-3, 1e-4, 1e-5];
const MS = [100, 150, 200, 300, 500, 1000];
// 0 stands for a baseline so large that its bin masses are exactly 1/k (a 7-day baseline).
const ONLY = process.argv.includes("--only")
  ? String(process.argv[process.argv.indexOf("--only") + 1])
      .split(",")
      .map((x) => x.split(":").map(Number))
  : null;
const NS = [
  ...new Set([...current.PSI_TABLE_BASELINE.filter((n) => n > 0), ...(ONLY ?? []).map(([n]) => n)]),
]
  .filter((n) => n > 0)
  .sort((x, y) => x - y)
  .concat([0]);

function rng(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(20261202);
const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
// Marsaglia & Tsang (2000) for shape >= 1.
function gamma(shape) {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x;
    let v;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
const lbeta = (a, b) => logGamma(a) + logGamma(b) - logGamma(a + b);
const lchoose = (n, k) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** Dirichlet parameters and baseline counts for edges at ranks floor(j/k (n - 1)). */
function layout(n) {
  if (n === 0) return { a: null, base: new Array(K).fill(1) };
  const ranks = [];
  for (let j = 1; j < K; j++) ranks.push(Math.floor((j / K) * (n - 1)));
  const a = [ranks[0] + 1];
  for (let j = 1; j < K - 1; j++) a.push(ranks[j] - ranks[j - 1]);
  a.push(n - ranks[K - 2]);
  const base = [...a];
  base[K - 1] -= 1;
  return { a, base };
}

function psi(base, nb, cur, m) {
  let s = 0;
  for (let i = 0; i < K; i++) {
    const b = base[i] === 0 ? EPS : base[i] / nb;
    const c = cur[i] === 0 ? EPS : cur[i] / m;
    s += (c - b) * Math.log(c / b);
  }
  return s;
}

/** Masses of the bins other than `skip`, summing to 1 (all bins when skip < 0). */
function masses(a, skip) {
  const out = new Array(K).fill(0);
  let sum = 0;
  for (let i = 0; i < K; i++) {
    if (i === skip) continue;
    out[i] = a === null ? 1 : gamma(a[i]);
    sum += out[i];
  }
  for (let i = 0; i < K; i++) out[i] /= sum;
  return out;
}

function multinomial(total, p, out) {
  const cum = [];
  let s = 0;
  for (let i = 0; i < K; i++) {
    s += p[i];
    cum.push(s);
  }
  for (let t = 0; t < total; t++) {
    const u = r() * s;
    let j = 0;
    while (j < K - 1 && u >= cum[j]) j++;
    out[j]++;
  }
}

// Grid of candidate quantiles; the tail is estimated on each, the quantile is the first below alpha.
const GRID = Array.from({ length: 400 }, (_, i) => 0.02 * 1.0125 ** i);

function tailCounts(values) {
  values.sort((x, y) => x - y);
  const counts = new Float64Array(GRID.length);
  let j = 0;
  for (let g = 0; g < GRID.length; g++) {
    while (j < values.length && values[j] < GRID[g]) j++;
    counts[g] = values.length - j;
  }
  return counts;
}

/** Sum of the weights of the values at or above each grid point. */
function weightedTail(values, weights) {
  const order = values.map((_, i) => i).sort((x, y) => values[x] - values[y]);
  const counts = new Float64Array(GRID.length);
  let above = weights.reduce((x, y) => x + y, 0);
  let j = 0;
  for (let g = 0; g < GRID.length; g++) {
    while (j < order.length && values[order[j]] < GRID[g]) above -= weights[order[j++]];
    counts[g] = Math.max(0, above);
  }
  return counts;
}

function cell(n, m) {
  const { a, base } = layout(n);
  const nb = base.reduce((x, y) => x + y, 0);
  const A = a === null ? 0 : a.reduce((x, y) => x + y, 0);
  const tail = new Float64Array(GRID.length);
  // Draws with every bin holding at least two, by importance sampling (see the top).
  const kept = [];
  const weights = [];
  for (let d = 0; d < DRAWS; d++) {
    const p = masses(a, -1);
    const shifts = p.map((pj) => {
      const rel = Math.sqrt((1 - pj) / (m * pj));
      return [Math.max(0.25, 1 - 3.5 * rel), Math.min(1 / pj - 1e-9, 1 + 4 * rel)];
    });
    let q = p;
    if (r() >= 0.5) {
      const j = Math.floor(r() * K);
      const s = shifts[j][r() < 0.5 ? 0 : 1];
      q = p.map((pi, i) => (i === j ? pi * s : (pi * (1 - p[j] * s)) / (1 - p[j])));
    }
    const cur = new Array(K).fill(0);
    multinomial(m, q, cur);
    if (Math.min(...cur) < 2) continue;
    const v = psi(base, nb, cur, m);
    if (v < GRID[0]) continue;
    // 1 / (mixture density over null density): q_js(x) / p(x) = s^x_j ((1 - p_j s)/(1 - p_j))^(m - x_j).
    let ratio = 0;
    for (let j = 0; j < K; j++) {
      for (const s of shifts[j]) {
        ratio += Math.exp(
          cur[j] * Math.log(s) + (m - cur[j]) * Math.log((1 - p[j] * s) / (1 - p[j])),
        );
      }
    }
    kept.push(v);
    weights.push(1 / (0.5 + (0.5 / (2 * K)) * ratio));
  }
  const plain = weightedTail(kept, weights);
  for (let g = 0; g < GRID.length; g++) tail[g] += plain[g] / DRAWS;
  // Strata: bin i holds exactly c.
  for (let i = 0; i < K; i++) {
    for (const c of [0, 1]) {
      const logP =
        a === null
          ? lchoose(m, c) + c * Math.log(1 / K) + (m - c) * Math.log(1 - 1 / K)
          : lchoose(m, c) + lbeta(a[i] + c, A - a[i] + m - c) - lbeta(a[i], A - a[i]);
      const values = [];
      for (let d = 0; d < COND_DRAWS; d++) {
        const cur = new Array(K).fill(0);
        multinomial(m - c, masses(a, i), cur);
        cur[i] = c;
        values.push(psi(base, nb, cur, m));
      }
      const counts = tailCounts(values);
      for (let g = 0; g < GRID.length; g++) tail[g] += (Math.exp(logP) * counts[g]) / COND_DRAWS;
    }
  }
  return ALPHAS.map((alpha) => {
    const g = GRID.findIndex((_, i) => tail[i] <= alpha);
    return g < 0 ? GRID[GRID.length - 1] : GRID[g];
  });
}

const started = performance.now();
const rows = [];
for (const n of NS) {
  for (const m of MS) {
    const t0 = performance.now();
    const row = current.PSI_TABLE_BASELINE.indexOf(n);
    const kept = row >= 0 && ONLY && !ONLY.some(([on, om]) => on === n && om === m);
    if (kept) {
      rows.push({ n, m, q: current.PSI_TABLE_QUANTILES[row][MS.indexOf(m)] });
      continue;
    }
    const q = cell(n, m);
    rows.push({ n, m, q });
    console.log(
      `n=${n || "inf"} m=${m}: ${q.map((x) => x.toFixed(3)).join(" ")} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}
const fmt = (x) => Number(x.toPrecision(4));
const run = `${DRAWS.toLocaleString("en")} importance-sampled and ${COND_DRAWS.toLocaleString("en")} conditional draws per
// stratum and cell, ${((performance.now() - started) / 1000).toFixed(0)} s`;
const provenance = ONLY
  ? `cells ${ONLY.map(([n, m]) => `${n}:${m}`).join(", ")} (a new n: its whole row): ${run};
// the other cells as the table held them before`
  : run;
const body = `// Generated by scripts/psi-null-table.mjs (${provenance}); do not edit by hand. PSI's no-drift quantiles for ${K} bins cut at the
// baseline's deciles, simulated where chi-squared's approximation fails; see that script.

/** Bins the table was simulated for. */
export const PSI_TABLE_BINS = ${K};
/** Significance levels (columns of QUANTILES). */
export const PSI_TABLE_ALPHAS = ${JSON.stringify(ALPHAS)} as const;
/** Current sample sizes (rows within each baseline size). */
export const PSI_TABLE_CURRENT = ${JSON.stringify(MS)} as const;
/** Baseline sample sizes; 0 is a baseline so large its decile masses are exactly 1/10. */
export const PSI_TABLE_BASELINE = ${JSON.stringify(NS)} as const;
/** PSI_TABLE_QUANTILES[baseline][current][alpha], indices into the arrays above. */
export const PSI_TABLE_QUANTILES: readonly (readonly (readonly number[])[])[] = ${JSON.stringify(
  NS.map((n) => MS.map((m) => rows.find((x) => x.n === n && x.m === m).q.map(fmt))),
)};
`;
const out = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "src",
  "drift",
  "psi-null-table.ts",
);
writeFileSync(out, body);
console.log(`wrote src/drift/psi-null-table.ts`);
