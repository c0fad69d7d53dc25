// Sequential detection in bench/detection, on per-minute sufficient statistics: a minute of a
// rate is Poisson(λp) successes and Poisson(λ(1 - p)) failures (thinning, exact), a minute of a
// distribution is its Poisson counts beyond the baseline's quantiles, so a year of minutes per
// traffic level runs in seconds. A distribution's minute also carries its values' normal scores
// against the baseline (the score bank, src/drift/normal-score-cusum.ts). The detectors are the
// real src/drift banks, designed as src/alerts/evaluation/sequential.ts designs them (the budget
// split by metricArl0).
import { logGamma } from "../../src/drift/gamma.ts";
import { normal, rng, SCENARIOS, STATIONARY } from "./detection-sim.mjs";

const DAY = 1440;
const BASELINE_DAYS = 7;

/** Exact Poisson draws: Knuth's product below 10, Hörmann's PTRS (1993) above. */
export function poissonExact(r, mu) {
  if (mu <= 0) return 0;
  if (mu < 10) {
    const limit = Math.exp(-mu);
    let k = 0;
    for (let p = r(); p > limit; p *= r()) k++;
    return k;
  }
  const slam = Math.sqrt(mu);
  const loglam = Math.log(mu);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = r() - 0.5;
    const v = r();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mu + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -mu + k * loglam - logGamma(k + 1)
    )
      return k;
  }
}

const Phi = (x) => 0.5 * (1 + erf(x / Math.SQRT2));
function erf(x) {
  // Abramowitz & Stegun 7.1.26 is too coarse for tails; use the series/continued fraction via
  // the complementary error function of Numerical Recipes (erfcc, ~1.2e-7 relative).
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}
const Z95 = 1.6448536269514722;

/**
 * The watched metrics of the default set, as the simulation sees them: a rate with its
 * per-event probability and trials per event, or a distribution's log-scale sd (a change
 * multiplies its median) and direction.
 */
function metrics(p) {
  return [
    { metric: "error_rate", kind: "rate", p: p.error, per: 1 },
    { metric: "timeout_rate", kind: "rate", p: p.timeout, per: 1 },
    { metric: "refusal_rate", kind: "rate", p: p.refused, per: 1 },
    { metric: "filtered_rate", kind: "rate", p: p.filtered, per: 1 },
    { metric: "unanswered_rate", kind: "rate", p: p.unanswered, per: 1 },
    { metric: "escalation_rate", kind: "rate", p: p.escalated, per: 1 },
    { metric: "thumbs_down_rate", kind: "rate", p: p.thumbsDown, per: p.rated },
    { metric: "latency_ms", kind: "dist", sigma: p.latencySigma, direction: "up" },
    { metric: "ttft_ms", kind: "dist", sigma: p.ttftSigma, direction: "up" },
    {
      metric: "output_chars",
      kind: "dist",
      sigma: Math.hypot(p.tokensSigma, 0.1),
      direction: "up",
    },
    { metric: "output_tokens", kind: "dist", sigma: p.tokensSigma, direction: "up" },
    { metric: "retrieval_top_score", kind: "dist", sigma: 1, direction: "down" },
  ];
}

/** Share beyond the baseline's median and p95 (p5 going down) after the median moves by `factor`. */
function beyondShares(m, factor) {
  const shift = Math.log(factor) / m.sigma;
  return m.direction === "up"
    ? [Phi(shift), 1 - Phi(Z95 - shift)]
    : [Phi(-shift), Phi(-Z95 - shift)];
}

/** A detector for one metric: its bank(s) from a baseline drawn over BASELINE_DAYS of traffic. */
function design(a, m, rate, arl0, r) {
  const d = a.drift;
  const n = BASELINE_DAYS * DAY * rate * (m.per ?? 1);
  const smoothed = (p) => (poissonExact(r, n * p) + 0.5) / (n + 1);
  if (m.kind === "rate") {
    const bank = d.designBernoulliBank({
      p0: smoothed(m.p),
      oddsRatios: d.RISE_ODDS_RATIOS,
      arl0,
      trialsPerStep: rate * m.per,
    });
    return { kind: "rate", banks: [bank], state: [d.initialBankState(bank, 0)] };
  }
  const streams = d.exceedanceStreams(m.direction);
  const det = d.designDistributionDetector(streams, beyondShares(m, 1).map(smoothed), arl0, rate);
  return { kind: "dist", det, state: d.initialDistributionState(det, 0) };
}

const phi = (x) => (Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0);
const tail = (x) => (Number.isFinite(x) ? x * phi(x) : 0);

/** Mean and variance of N(w, 1) truncated to (a, b). */
function truncated(w, a, b) {
  const lo = a - w;
  const hi = b - w;
  const mass = Phi(hi) - Phi(lo);
  const lift = (phi(lo) - phi(hi)) / mass;
  return { mean: w + lift, variance: 1 + (tail(lo) - tail(hi)) / mass - lift * lift };
}

/**
 * A minute of a lognormal metric whose median moved by `factor`: its values' normal scores
 * against the baseline are N(w, 1), w = ln(factor) / σ in the watched direction; the counts
 * beyond the median (score > 0) and p95 (score > z95), and the scores' sum. Values one by one
 * below 200 a minute; above, per cell (below the median, to p95, beyond) a Poisson count and
 * its truncated normals' sum as one normal draw (their central limit, exact in mean and variance).
 */
function distributionMinute(r, m, rate, factor) {
  const shift = Math.log(factor) / m.sigma;
  const w = m.direction === "up" ? shift : -shift;
  if (rate < 200) {
    const n = poissonExact(r, rate);
    let far = 0;
    let mid = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const z = w + normal(r);
      sum += z;
      if (z > Z95) far++;
      else if (z > 0) mid++;
    }
    return { beyond: [far + mid, far], n, sum };
  }
  const cells = [
    [Number.NEGATIVE_INFINITY, 0],
    [0, Z95],
    [Z95, Number.POSITIVE_INFINITY],
  ];
  const counts = cells.map(([a, b]) => poissonExact(r, rate * (Phi(b - w) - Phi(a - w))));
  let sum = 0;
  cells.forEach(([a, b], i) => {
    const k = counts[i];
    if (k === 0) return;
    const t = truncated(w, a, b);
    sum += k * t.mean + Math.sqrt(k * t.variance) * normal(r);
  });
  const [rest, mid, far] = counts;
  return { beyond: [far + mid, far], n: rest + mid + far, sum };
}

/** One minute: feeds the detector; returns true when it is in alarm. */
function step(a, m, det, rate, t, r, { p = m.p, factor = 1 } = {}) {
  const d = a.drift;
  if (det.kind === "rate") {
    const lambda = rate * m.per;
    const x = poissonExact(r, lambda * p);
    const n = x + poissonExact(r, lambda * (1 - p));
    const out = d.stepBernoulliBank(det.banks[0], det.state[0], t, x, n);
    det.state = [out.state];
    return out.alarm !== null;
  }
  const { beyond, n, sum } = distributionMinute(r, m, rate, factor);
  const out = d.stepDistribution(det.det, det.state, t, beyond, n, sum);
  det.state = out.state;
  return out.alarm !== null;
}

/**
 * False alarms on stationary traffic: every watched metric, `days` simulated days, the baseline
 * (and so p0 and the thresholds) redrawn each week. An alarm restarts that metric's detector,
 * as a resolved incident would leave it.
 */
export function runSequentialFalseAlarms(a, { rate, days, seed }) {
  const r = rng(seed);
  const ms = metrics(STATIONARY);
  const arl0 = a.metricArl0(a.SEQUENTIAL_DAYS, ms.length);
  const alarms = Object.fromEntries(ms.map((m) => [m.metric, 0]));
  let dets = [];
  for (let t = 0; t < days * DAY; t++) {
    if (t % (7 * DAY) === 0) dets = ms.map((m) => design(a, m, rate, arl0, r));
    ms.forEach((m, i) => {
      if (step(a, m, dets[i], rate, t, r)) {
        alarms[m.metric]++;
        dets[i] = design(a, m, rate, arl0, r);
      }
    });
  }
  const total = Object.values(alarms).reduce((x, y) => x + y, 0);
  return { rate, days, alarms, total, perMonth: (total * 30) / days, arl0 };
}

const TARGETS = {
  thumbs: "thumbs_down_rate",
  "thumbs-all": "thumbs_down_rate",
  errors: "error_rate",
  latency: "latency_ms",
  length: "output_tokens",
};

/** KL per observation of the scenario's change, and observations per minute. */
function information(a, scenario, m, effect, rate, params) {
  const d = a.drift;
  if (m.kind === "rate") {
    const p1 = scenario.key === "errors" ? effect : effect;
    return { kl: d.bernoulliKl(p1, m.p), perMinute: rate * m.per };
  }
  // A lognormal whose median moves by `effect`: KL = (ln effect)^2 / (2 sigma^2) per value.
  return { kl: Math.log(effect) ** 2 / (2 * m.sigma ** 2), perMinute: rate, params };
}

/**
 * Step changes: per replicate, 30 stationary minutes, then changed minutes until the scenario's
 * metric alarms or `horizon` minutes pass. The information bound is log(ARL0) / KL
 * observations with ARL0 = one false alarm per month in observations (the formula).
 */
export function runSequentialDetection(a, { rate, scenario: key, replicates, horizon, seed }) {
  const scenario = SCENARIOS.find((s) => s.key === key);
  const params = scenario.base ? scenario.base(STATIONARY) : STATIONARY;
  const ms = metrics(params);
  const m = ms.find((x) => x.metric === TARGETS[key]);
  const arl0 = a.metricArl0(a.SEQUENTIAL_DAYS, ms.length);
  const r = rng(seed);
  const effects = scenario.effects.map((effect) => {
    const { kl, perMinute } = information(a, scenario, m, effect, rate, params);
    const boundMinutes = Math.log(30 * DAY * perMinute) / kl / perMinute;
    const delays = [];
    let early = 0;
    for (let rep = 0; rep < replicates; rep++) {
      const det = design(a, m, rate, arl0, r);
      let det0 = det;
      for (let t = 0; t < 30; t++) {
        if (step(a, m, det0, rate, t, r)) {
          early++;
          det0 = design(a, m, rate, arl0, r);
        }
      }
      let delay = null;
      for (let t = 1; t <= horizon; t++) {
        const change = m.kind === "rate" ? { p: effect } : { factor: effect };
        if (step(a, m, det0, rate, 30 + t, r, change)) {
          delay = t;
          break;
        }
      }
      delays.push(delay);
    }
    return { effect, label: scenario.show(effect), boundMinutes, delays, early };
  });
  return { rate, scenario: key, effects };
}

export const SEQUENTIAL_SCENARIOS = Object.keys(TARGETS);
