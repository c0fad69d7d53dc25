// Simulated LLM traffic for bench/detection: seeded random events with realistic rates and
// distributions, per-minute buckets built with the real addEvent, and the step changes.

/** mulberry32: a small seeded PRNG returning values in [0, 1). */
export function rng(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const normal = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const lognormal = (r, median, sigma) => median * Math.exp(sigma * normal(r));

/** Poisson draw: Knuth's product method below 30, a rounded normal above. */
export function poisson(r, mean) {
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r(); p > limit; p *= r()) k++;
  return k;
}

const pick = (r, shares) => {
  let u = r();
  for (const [value, share] of shares) {
    u -= share;
    if (u < 0) return value;
  }
  return shares[shares.length - 1][0];
};

/** The stationary stream: a support bot's normal day. */
export const STATIONARY = {
  error: 0.01,
  timeout: 0.005,
  refused: 0.01,
  filtered: 0.003,
  unanswered: 0.03,
  escalated: 0.02,
  /** Share of interactions that get a thumb, and the thumbs-down share of thumbs. */
  rated: 0.2,
  thumbsDown: 0.05,
  latencyMedian: 650, // p95 ≈ 1,255 ms
  latencySigma: 0.4,
  ttftMedian: 250,
  ttftSigma: 0.5,
  tokensMedian: 180,
  tokensSigma: 0.6,
  charsPerToken: 4.2,
  retrievalMean: 0.72,
  retrievalSd: 0.1,
  models: [
    ["model-a", 0.9],
    ["model-b", 0.1],
  ],
  finish: [
    ["stop", 0.96],
    ["length", 0.03],
    ["content_filter", 0.01],
  ],
};

export function makeEvent(r, p, ts) {
  const u = r();
  const status =
    u < p.error
      ? "error"
      : u < p.error + p.timeout
        ? "timeout"
        : u < p.error + p.timeout + p.refused
          ? "refused"
          : u < p.error + p.timeout + p.refused + p.filtered
            ? "filtered"
            : "ok";
  const outputTokens = Math.max(1, Math.round(lognormal(r, p.tokensMedian, p.tokensSigma)));
  const inputTokens = Math.max(1, Math.round(lognormal(r, 900, 0.5)));
  const latency = lognormal(r, p.latencyMedian, p.latencySigma);
  const e = {
    type: "interaction",
    id: "e",
    deployment: "bench",
    environment: "production",
    ts,
    status,
    model: pick(r, p.models),
    finish_reason: pick(r, p.finish),
    latency_ms: latency,
    ttft_ms: Math.min(latency, lognormal(r, p.ttftMedian, p.ttftSigma)),
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    output_chars: Math.round(outputTokens * p.charsPerToken * Math.exp(0.1 * normal(r))),
    cost_usd: inputTokens * 2.5e-6 + outputTokens * 1e-5,
    retrieval: { top_score: Math.min(1, Math.max(0, p.retrievalMean + p.retrievalSd * normal(r))) },
    escalated: r() < p.escalated,
    unanswered: r() < p.unanswered,
  };
  if (r() < p.rated) e.feedback = r() < p.thumbsDown ? -1 : 1;
  return e;
}

/** `minutes` one-minute buckets of Poisson(rate) events each. */
export function minutePool(alerts, { seed, params, rate, minutes }) {
  const r = rng(seed);
  const pool = [];
  for (let m = 0; m < minutes; m++) {
    const b = alerts.emptyBucket();
    const n = poisson(r, rate);
    for (let i = 0; i < n; i++) alerts.addEvent(b, makeEvent(r, params, m * 60_000));
    pool.push(b);
  }
  return pool;
}

/** The step changes of the detection grid: the expected rule's metric and three effect sizes. */
export const SCENARIOS = [
  {
    key: "thumbs",
    label: "thumbs-down 5 % → x (20 % of events rated)",
    metrics: ["thumbs_down_rate"],
    effects: [0.075, 0.1, 0.12],
    show: (x) => `${x * 100} %`,
    apply: (p, x) => ({ ...p, thumbsDown: x }),
  },
  {
    key: "thumbs-all",
    label: "thumbs-down 5 % → x (every event rated)",
    metrics: ["thumbs_down_rate"],
    effects: [0.075, 0.1, 0.12],
    show: (x) => `${x * 100} %`,
    apply: (p, x) => ({ ...p, rated: 1, thumbsDown: x }),
    base: (p) => ({ ...p, rated: 1 }),
  },
  {
    key: "errors",
    label: "error rate 1 % → x",
    metrics: ["error_rate"],
    effects: [0.02, 0.03, 0.06],
    show: (x) => `${x * 100} %`,
    apply: (p, x) => ({ ...p, error: x }),
  },
  {
    key: "latency",
    label: "latency × x (p95 1.26 s → x·1.26 s)",
    metrics: ["latency_ms"],
    effects: [1.25, 1.5, 2],
    show: (x) => `× ${x}`,
    apply: (p, x) => ({ ...p, latencyMedian: p.latencyMedian * x }),
  },
  {
    key: "length",
    label: "output length × x (tokens and chars)",
    metrics: ["output_chars", "output_tokens"],
    effects: [1.1, 1.25, 1.5],
    show: (x) => `× ${x}`,
    apply: (p, x) => ({ ...p, tokensMedian: p.tokensMedian * x }),
  },
  {
    key: "model",
    label: "model swap: share x of traffic moves to a new model",
    metrics: ["model_mix"],
    effects: [0.1, 0.3, 1],
    show: (x) => `${x * 100} %`,
    apply: (p, x) => ({
      ...p,
      models: [
        ["model-a", 0.9 * (1 - x)],
        ["model-b", 0.1 * (1 - x)],
        ["model-c", x],
      ],
    }),
  },
];
