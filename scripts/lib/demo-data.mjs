// Synthetic AI-interaction events for the local demo and benchmarks.
export const DEMO_DEPLOYMENTS = [
  {
    slug: "support-bot",
    model: "gpt-4o-mini",
    provider: "openai",
    prompt: "v13",
    latency: 900,
    chars: 600,
    down: 0.05,
  },
  {
    slug: "rag-search",
    model: "claude-3-5-haiku",
    provider: "anthropic",
    prompt: "v4",
    latency: 1400,
    chars: 900,
    down: 0.08,
  },
  {
    slug: "summarizer",
    model: "gemini-2.0-flash",
    provider: "google",
    prompt: "v2",
    latency: 2200,
    chars: 1500,
    down: 0.03,
  },
];

/** Standard lognormal draw via Box–Muller; median `median`, shape `sigma`. */
export function lognormal(median, sigma = 0.5) {
  const u = 1 - Math.random();
  const v = Math.random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * z);
}

export function demoEvent(d, ts, overrides = {}) {
  const status = Math.random() < 0.01 ? "error" : "ok";
  const r = Math.random();
  const feedback = r < d.down ? -1 : r < d.down + 0.15 ? 1 : 0;
  const inputTokens = Math.round(lognormal(800, 0.4));
  const chars = Math.round(lognormal(d.chars, 0.35));
  return {
    deployment: d.slug,
    ts,
    model: d.model,
    provider: d.provider,
    prompt_version: d.prompt,
    latency_ms: Math.round(lognormal(d.latency, 0.45)),
    ttft_ms: Math.round(lognormal(d.latency / 4, 0.4)),
    status,
    ...(status === "error" ? { error_type: "rate_limit" } : {}),
    input_tokens: inputTokens,
    output_tokens: Math.round(chars / 4),
    output_chars: chars,
    finish_reason: "stop",
    feedback,
    retrieval: { top_score: Math.min(1, Math.max(0, 0.55 + 0.15 * (Math.random() - 0.5) * 2)) },
    tags: { intent: ["billing", "how-to", "bug", "other"][Math.floor(Math.random() * 4)] },
    ...overrides,
  };
}
