// The demo scenario as pure data and functions (no I/O, seeded randomness): three AI
// deployments, their normal behaviour, and a scripted prompt release on support-bot that
// makes answers longer and thumbs-down more frequent: a 20 % canary first, then the whole
// deployment, then a rollback. Shared by scripts/ and the tests.

export const ENVIRONMENT = "production";
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * One model per deployment, for both the live traffic and the seeded week (so the live
 * steady state matches its own baseline), and how the simulator plays it through the SDK:
 * "openai" = an instrumented OpenAI-compatible client, "stream" = the same, streaming,
 * "manual" = the app calls track() itself (so it can add retrieval scores and tags).
 */
export const DEPLOYMENTS = [
  {
    slug: "support-bot",
    style: "openai",
    provider: "openai",
    model: "gpt-4o-mini",
    prompt_version: "v13",
    perSecond: 3.5,
    latencyMs: 900,
    outputChars: 600,
    thumbsDown: 0.05,
    thumbsUp: 0.15,
    intents: [],
  },
  {
    slug: "rag-search",
    style: "manual",
    provider: "anthropic",
    model: "claude-3-5-haiku",
    prompt_version: "v4",
    perSecond: 1,
    latencyMs: 1400,
    outputChars: 900,
    thumbsDown: 0.08,
    thumbsUp: 0.12,
    intents: ["docs", "api", "pricing", "other"],
  },
  {
    slug: "summarizer",
    style: "stream",
    provider: "google",
    model: "gemini-2.0-flash",
    prompt_version: "v2",
    perSecond: 0.5,
    latencyMs: 2200,
    outputChars: 1500,
    thumbsDown: 0.03,
    thumbsUp: 0.1,
    intents: [],
  },
];

/**
 * The scripted incident: support-bot ships prompt v14, whose answers are ~1.6x longer and
 * get thumbs-down three times as often. It goes to `canaryShare` of the traffic first (on
 * the first minute boundary `leadSeconds` after live traffic starts), where its release
 * verdict fails within minutes; the rollout pays no heed and goes to everyone after
 * `canaryMinutes`, where the whole-window rules fire; it is rolled back `durationMinutes`
 * after that.
 */
export const INCIDENT = {
  deployment: "support-bot",
  prompt_version: "v14",
  outputScale: 1.6,
  latencyScale: 1.15,
  thumbsDown: 0.15,
  thumbsUp: 0.1,
  durationMinutes: 15,
  leadSeconds: 60,
  canaryShare: 0.2,
  canaryMinutes: 8,
  /** The release label the deploy pipeline announces v14 under (POST /v1/releases). */
  gitSha: "4f2c9e1",
};

/** Days of history the demo seeds: the rolling baseline's 7 days. */
export const HISTORY_DAYS = 7;

/**
 * The seeded week is a thinned sample of the live traffic model: the same behaviour (rates,
 * distributions, thumbs) at 1/210 of the live volume, so seeding takes seconds. Rates and
 * distributions do not depend on volume; the traffic rule only watches for drops.
 */
export const HISTORY_SHARE = 1 / 210;

/** Seeded interactions per hour of a deployment, before the daily rhythm. */
export const historyPerHour = (d) => d.perSecond * 3600 * HISTORY_SHARE;

export function deploymentNamed(slug) {
  const d = DEPLOYMENTS.find((x) => x.slug === slug);
  if (!d) throw new Error(`no demo deployment '${slug}'`);
  return d;
}

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function createRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal draw (Box–Muller) with the given median and log-scale sigma. */
export function lognormal(rng, median, sigma) {
  const u = 1 - rng();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  return median * Math.exp(sigma * z);
}

/** Waiting time (ms) to the next arrival of a Poisson process with `perSecond`. */
export function nextArrivalMs(rng, perSecond) {
  return (-Math.log(1 - rng()) / perSecond) * 1000;
}

/**
 * One interaction's ground truth: what the provider does and what the user thinks.
 * `incident` applies INCIDENT to the deployment it names.
 */
export function drawInteraction(d, rng, incident = false) {
  const hit = incident && d.slug === INCIDENT.deployment;
  const scale = hit ? INCIDENT.outputScale : 1;
  const down = hit ? INCIDENT.thumbsDown : d.thumbsDown;
  const up = hit ? INCIDENT.thumbsUp : d.thumbsUp;
  const r = rng();
  const status = r < 0.01 ? "error" : r < 0.013 ? "timeout" : "ok";
  const latency = lognormal(rng, d.latencyMs * (hit ? INCIDENT.latencyScale : 1), 0.45);
  const chars = Math.max(1, Math.round(lognormal(rng, d.outputChars * scale, 0.35)));
  const f = rng();
  // A user thumbs an answer: a failed call shows an error page and gets no thumbs, live
  // (the simulator has no event id to send feedback for) and in the history alike.
  const thumbs = status !== "ok" ? 0 : f < down ? -1 : f < down + up ? 1 : 0;
  return {
    prompt_version: hit ? INCIDENT.prompt_version : d.prompt_version,
    status,
    error_type: status === "error" ? "rate_limit" : status === "timeout" ? "timeout" : undefined,
    latency_ms: Math.round(status === "timeout" ? Math.max(latency, 30_000) : latency),
    ttft_ms: Math.round(Math.min(latency, lognormal(rng, d.latencyMs / 4, 0.4))),
    input_tokens: Math.round(lognormal(rng, 800, 0.4)),
    output_tokens: Math.max(1, Math.round((chars / 4) * (0.9 + 0.2 * rng()))),
    output_chars: chars,
    finish_reason: "stop",
    top_score: Math.min(1, Math.max(0, 0.72 + 0.12 * (rng() + rng() - 1))),
    hits: 3 + Math.floor(rng() * 6),
    intent: d.intents.length ? d.intents[Math.floor(rng() * d.intents.length)] : undefined,
    thumbs,
  };
}

/**
 * The v1 event the simulator's SDK call sends for a draw (instrumented clients report no
 * usage on failures and ttft only when streaming), with the thumbs inline as `feedback`.
 */
export function toEvent(d, draw, ts) {
  const ok = draw.status === "ok";
  const event = {
    deployment: d.slug,
    environment: ENVIRONMENT,
    ts,
    model: d.model,
    provider: d.provider,
    prompt_version: draw.prompt_version,
    latency_ms: draw.latency_ms,
    status: draw.status,
  };
  if (draw.error_type) event.error_type = draw.error_type;
  if (ok && d.style !== "openai") event.ttft_ms = draw.ttft_ms;
  if (ok) {
    event.input_tokens = draw.input_tokens;
    event.output_tokens = draw.output_tokens;
    event.output_chars = draw.output_chars;
    event.finish_reason = draw.finish_reason;
  }
  if (d.style === "manual") {
    event.retrieval = { top_score: draw.top_score, hits: draw.hits };
    if (draw.intent) event.tags = { intent: draw.intent };
  }
  if (draw.thumbs !== 0) event.feedback = draw.thumbs;
  return event;
}

/**
 * When the incident runs: the canary in [canary, start), everyone on v14 in [start, end);
 * each on a minute boundary.
 */
export function incidentTimeline(liveStart, leadSeconds = INCIDENT.leadSeconds) {
  const canary = Math.ceil((liveStart + leadSeconds * 1000) / MINUTE_MS) * MINUTE_MS;
  const start = canary + INCIDENT.canaryMinutes * MINUTE_MS;
  return { canary, start, end: start + INCIDENT.durationMinutes * MINUTE_MS };
}

/** Whether v14 serves everyone of the deployment at `ts` (after the canary, before the rollback). */
export const inIncident = (timeline, slug, ts) =>
  slug === INCIDENT.deployment && ts >= timeline.start && ts < timeline.end;

/** The share of the deployment's traffic on v14 at `ts`: 0, the canary's share, or 1. */
export function incidentShare(timeline, slug, ts) {
  if (slug !== INCIDENT.deployment || ts < timeline.canary || ts >= timeline.end) return 0;
  return ts < timeline.start ? INCIDENT.canaryShare : 1;
}

/** Whether one interaction at `ts` gets v14 (a draw of rng only during the canary). */
export function servesIncident(timeline, slug, ts, rng) {
  const share = incidentShare(timeline, slug, ts);
  return share >= 1 || (share > 0 && rng() < share);
}

/** Daily rhythm of the seeded history: busier in (UTC) working hours, 0.5x to 1.5x. */
export function diurnal(ts) {
  const hour = (ts % (24 * HOUR_MS)) / HOUR_MS;
  return 1 + 0.5 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
}

/** Normal-behaviour history for [from, to) at each deployment's historyPerHour. */
export function historyEvents(from, to, rng, deployments = DEPLOYMENTS) {
  const events = [];
  for (const d of deployments) {
    for (let h = Math.floor(from / HOUR_MS) * HOUR_MS; h < to; h += HOUR_MS) {
      const lo = Math.max(h, from);
      const hi = Math.min(h + HOUR_MS, to);
      const expected = (historyPerHour(d) * diurnal(h) * (hi - lo)) / HOUR_MS;
      const n = Math.floor(expected + rng());
      for (let i = 0; i < n; i++) {
        const ts = Math.floor(lo + rng() * (hi - lo));
        events.push(toEvent(d, drawInteraction(d, rng), ts));
      }
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

/** Live traffic of one deployment for [from, to): Poisson arrivals at perSecond. */
export function liveEvents(d, from, to, timeline, rng) {
  const events = [];
  for (
    let ts = from + nextArrivalMs(rng, d.perSecond);
    ts < to;
    ts += nextArrivalMs(rng, d.perSecond)
  ) {
    const t = Math.floor(ts);
    events.push(toEvent(d, drawInteraction(d, rng, servesIncident(timeline, d.slug, t, rng)), t));
  }
  return events;
}
