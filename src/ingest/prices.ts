// Model price table: estimates cost_usd from token counts when an event does not report it.
// Pure data and lookups; per-project overrides take precedence over the built-in rows.
import { z } from "../zod";

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Input read from the provider's prompt cache; absent: priced as input. */
  cached_input?: number;
  /** Input written to the prompt cache (Anthropic's 5-minute writes, GPT-5.6); absent: priced as input. */
  cache_write?: number;
}

/** A row; cache prices only where the provider lists them. */
const row = (input: number, output: number, cachedInput?: number, cacheWrite?: number) => {
  const price: ModelPrice = { input, output };
  if (cachedInput !== undefined) price.cached_input = cachedInput;
  if (cacheWrite !== undefined) price.cache_write = cacheWrite;
  return price;
};
/** Anthropic: cache reads cost 0.1× input, 5-minute cache writes 1.25× input. */
const claude = (input: number, output: number): ModelPrice =>
  row(input, output, input / 10, input * 1.25);

/**
 * Public list prices (standard tier, text, the shortest context band; no batch, flex or
 * priority rates), with cache prices where the provider lists them. docs/spend.md ("Where
 * the rows come from") names the sources each provider's rows were checked against, their
 * dates, and the rows still unconfirmed; `asOf` is the date of those sources.
 * NOTE: prices change. Refreshing (docs/spend.md, "Refreshing the price table"): compare
 * every row with its provider's pricing page, update the rows and set `asOf` to the date
 * the prices were checked; add a row for any variant priced differently from its family
 * (matching is longest prefix, so "gpt-4o-2024-05-13" beats "gpt-4o"; a newer minor version,
 * "gpt-5.6-…" after "gpt-5", needs its own row). Keys must be normalised names
 * (normalizeModelName), or no model matches them; the tests check it.
 * Projects override per model without a deploy via `PriceOverridesSchema`.
 * Meta's open models have no first-party API: their rows are Together AI's serverless prices.
 */
export const PRICE_TABLE: { asOf: string; models: Readonly<Record<string, ModelPrice>> } = {
  asOf: "2026-08-21",
  models: {
    // OpenAI
    "gpt-4o": row(2.5, 10, 1.25),
    "gpt-4o-2024-05-13": row(5, 15),
    "gpt-4o-mini": row(0.15, 0.6, 0.075),
    "chatgpt-4o-latest": row(5, 15),
    "gpt-4.1": row(2, 8, 0.5),
    "gpt-4.1-mini": row(0.4, 1.6, 0.1),
    "gpt-4.1-nano": row(0.1, 0.4, 0.025),
    o1: row(15, 60, 7.5),
    "o1-mini": row(1.1, 4.4, 0.55),
    "o1-pro": row(150, 600),
    o3: row(2, 8, 0.5),
    "o3-mini": row(1.1, 4.4, 0.55),
    "o3-pro": row(20, 80),
    "o3-deep-research": row(10, 40, 2.5),
    "o4-mini": row(1.1, 4.4, 0.275),
    "o4-mini-deep-research": row(2, 8, 0.5),
    "gpt-5": row(1.25, 10, 0.125),
    "gpt-5-mini": row(0.25, 2, 0.025),
    "gpt-5-nano": row(0.05, 0.4, 0.005),
    "gpt-5-pro": row(15, 120),
    "gpt-5.1": row(1.25, 10, 0.125),
    "gpt-5.1-codex-mini": row(0.25, 2, 0.025),
    "gpt-5.2": row(1.75, 14, 0.175),
    "gpt-5.2-pro": row(21, 168),
    "gpt-5.3-codex": row(1.75, 14, 0.175),
    "gpt-5.4": row(2.5, 15, 0.25),
    "gpt-5.4-mini": row(0.75, 4.5, 0.075),
    "gpt-5.4-nano": row(0.2, 1.25, 0.02),
    "gpt-5.4-pro": row(30, 180),
    "gpt-5.5": row(5, 30, 0.5),
    "gpt-5.5-pro": row(30, 180),
    "gpt-5.6-sol": row(5, 30, 0.5, 6.25),
    "gpt-5.6-terra": row(2, 12, 0.2, 2.5),
    "gpt-5.6-luna": row(0.2, 1.2, 0.02, 0.25),
    "gpt-3.5-turbo": row(0.5, 1.5),
    "gpt-3.5-turbo-instruct": row(1.5, 2),
    // Anthropic
    "claude-3-haiku": row(0.25, 1.25, 0.03, 0.3),
    "claude-3-opus": claude(15, 75),
    "claude-3-5-haiku": claude(0.8, 4),
    "claude-3-5-sonnet": claude(3, 15),
    "claude-3-7-sonnet": claude(3, 15),
    "claude-sonnet-4": claude(3, 15),
    "claude-opus-4": claude(15, 75),
    "claude-opus-4-1": claude(15, 75),
    "claude-haiku-4-5": claude(1, 5),
    "claude-sonnet-4-5": claude(3, 15),
    "claude-sonnet-4-6": claude(3, 15),
    "claude-sonnet-5": claude(3, 15),
    "claude-opus-4-5": claude(5, 25),
    "claude-opus-4-6": claude(5, 25),
    "claude-opus-4-7": claude(5, 25),
    "claude-opus-4-8": claude(5, 25),
    "claude-opus-5": claude(5, 25),
    "claude-fable-5": claude(10, 50),
    "claude-mythos-5": claude(10, 50),
    // Google (Gemini API; prompts up to 128k/200k tokens where the price is tiered)
    "gemini-1.5-flash": row(0.075, 0.3),
    "gemini-1.5-flash-8b": row(0.0375, 0.15),
    "gemini-1.5-pro": row(1.25, 5),
    "gemini-2.0-flash": row(0.1, 0.4, 0.025),
    "gemini-2.0-flash-lite": row(0.075, 0.3),
    "gemini-2.5-flash": row(0.3, 2.5, 0.03),
    "gemini-2.5-flash-lite": row(0.1, 0.4, 0.01),
    "gemini-2.5-pro": row(1.25, 10, 0.125),
    "gemini-3-pro-preview": row(2, 12, 0.2),
    "gemini-3-flash-preview": row(0.5, 3, 0.05),
    "gemini-3.1-pro-preview": row(2, 12, 0.2),
    "gemini-3.1-flash-lite": row(0.25, 1.5, 0.025),
    "gemini-3.5-flash": row(1.5, 9, 0.15),
    "gemini-3.5-flash-lite": row(0.3, 2.5, 0.03),
    // Introductory prices until 2026-12-31 (docs/spend.md): refresh these two rows in January.
    "gemini-3.6-flash": row(0.75, 3.75, 0.075),
    "gemini-3.7-flash": row(0.75, 3.75, 0.075),
    // Mistral ("-latest" aliases follow the family row unless listed)
    "mistral-large": row(2, 6),
    "mistral-large-2512": row(0.5, 1.5),
    "mistral-large-latest": row(0.5, 1.5),
    "mistral-medium": row(0.4, 2),
    "mistral-medium-2604": row(1.5, 7.5),
    "mistral-medium-latest": row(1.5, 7.5),
    "mistral-small": row(0.1, 0.3),
    "magistral-medium": row(2, 5),
    "magistral-small": row(0.5, 1.5),
    "ministral-3b-2512": row(0.1, 0.1),
    "ministral-8b-2512": row(0.15, 0.15),
    "ministral-14b-2512": row(0.2, 0.2),
    codestral: row(0.3, 0.9),
    "devstral-2512": row(0.4, 2),
    // Meta Llama (Together AI serverless)
    "llama-3.1-8b": row(0.18, 0.18),
    "llama-3.1-70b": row(0.88, 0.88),
    "llama-3.1-405b": row(3.5, 3.5),
    "llama-3.3-70b": row(0.88, 0.88),
    // Cloudflare Workers AI, under the names the binding and AI Gateway report (kept whole
    // by normalizeModelName, so they never fall onto the Together AI rows above)
    "@cf/meta/llama-3.2-1b-instruct": row(0.027, 0.201),
    "@cf/meta/llama-3.2-3b-instruct": row(0.051, 0.335),
    "@cf/meta/llama-3.1-8b-instruct-fp8-fast": row(0.045, 0.384),
    "@cf/meta/llama-3.2-11b-vision-instruct": row(0.049, 0.676),
    "@cf/meta/llama-3.1-70b-instruct-fp8-fast": row(0.293, 2.253),
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast": row(0.293, 2.253),
    "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b": row(0.497, 4.881),
    "@cf/mistral/mistral-7b-instruct-v0.1": row(0.11, 0.19),
    "@cf/meta/llama-3.1-8b-instruct": row(0.282, 0.827),
    "@cf/meta/llama-3.1-8b-instruct-fp8": row(0.152, 0.287),
    "@cf/meta/llama-3.1-8b-instruct-awq": row(0.123, 0.266),
    "@cf/meta/llama-3-8b-instruct": row(0.282, 0.827),
    "@cf/meta/llama-3-8b-instruct-awq": row(0.123, 0.266),
    "@cf/meta/llama-2-7b-chat-fp16": row(0.556, 6.667),
  },
};

/** Whole days from the table's `asOf` (UTC midnight) to `now`: how stale its prices may be. */
export function priceTableAgeDays(now: number, asOf: string = PRICE_TABLE.asOf): number {
  return Math.max(0, Math.floor((now - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000));
}

const price = z.number().finite().nonnegative();

/** Per-project overrides: model name (matched like the table) → USD per million tokens. */
export const PriceOverridesSchema = z
  .record(
    z.string().min(1).max(128),
    z.strictObject({
      input: price,
      output: price,
      cached_input: price.optional(),
      cache_write: price.optional(),
    }),
  )
  .refine((r) => Object.keys(r).length <= 200, "at most 200 price overrides");
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

const BEDROCK_PREFIX = /^(?:(?:us|eu|apac|global)\.)?(?:anthropic|meta|mistral|openai|google)\./;

/**
 * Lower-cases and strips routing prefixes ("openai/", "models/", Bedrock's "anthropic."),
 * keeps a Workers AI name whole from its "@cf/" (AI Gateway's "workers-ai/@cf/meta/…" →
 * "@cf/meta/…": Cloudflare prices its own variants), and folds common spellings onto the table's: "claude-3.5-sonnet" →
 * "claude-3-5-sonnet", "Meta-Llama-3.1-70B" and Bedrock's "llama3-1-70b" → "llama-3.1-70b".
 */
export function normalizeModelName(model: string): string {
  let m = model.trim().toLowerCase();
  const workersAi = m.indexOf("@cf/");
  if (workersAi >= 0) return m.slice(workersAi);
  m = m.slice(m.lastIndexOf("/") + 1).replace(BEDROCK_PREFIX, "");
  if (m.startsWith("claude")) m = m.replace(/(\d)\.(\d)/g, "$1-$2");
  return m.replace(/^meta-(?=llama)/, "").replace(/^llama-?(\d)[.-](\d)-/, "llama-$1.$2-");
}

// After a family prefix, a short number is a newer minor version ("claude-opus-4-1",
// "gpt-5.1"), not a dated snapshot ("-20250514", "-2024-08-06") or a revision ("-001").
const MINOR_VERSION = /^[-_.]\d{1,2}(?!\d)/;

function matches(name: string, key: string): boolean {
  if (!name.startsWith(key)) return false;
  const rest = name.slice(key.length);
  return rest === "" || (/^[-_.:@]/.test(rest) && !MINOR_VERSION.test(rest));
}

const TABLE: ReadonlyMap<string, ModelPrice> = new Map(Object.entries(PRICE_TABLE.models));
const normalizedOverrides = new WeakMap<PriceOverrides, Map<string, ModelPrice>>();

function overridesMap(overrides: PriceOverrides): Map<string, ModelPrice> {
  let map = normalizedOverrides.get(overrides);
  if (!map) {
    map = new Map();
    for (const [model, p] of Object.entries(overrides)) {
      const key = normalizeModelName(model);
      if (key !== "") map.set(key, p);
    }
    normalizedOverrides.set(overrides, map);
  }
  return map;
}

/**
 * Price of a model: the longest matching key among the table and the overrides, an
 * override winning over a table row for the same key. Undefined for unknown models.
 */
export function lookupPrice(model: string, overrides?: PriceOverrides): ModelPrice | undefined {
  if (!overrides) {
    // Hot path: every ingested event without cost_usd asks; model names are few.
    if (tableLookups.has(model)) return tableLookups.get(model);
    const price = findPrice(model);
    if (tableLookups.size >= 1_000) tableLookups.clear();
    tableLookups.set(model, price);
    return price;
  }
  return findPrice(model, overrides);
}

const tableLookups = new Map<string, ModelPrice | undefined>();

function findPrice(model: string, overrides?: PriceOverrides): ModelPrice | undefined {
  const name = normalizeModelName(model);
  if (name === "") return undefined;
  let best: { key: string; price: ModelPrice } | undefined;
  const consider = (entries: Iterable<[string, ModelPrice]>, winsTies: boolean) => {
    for (const [key, price] of entries) {
      if (!matches(name, key)) continue;
      const longer = !best || key.length > best.key.length;
      if (longer || (winsTies && key.length === best?.key.length)) best = { key, price };
    }
  };
  consider(TABLE, false);
  if (overrides) consider(overridesMap(overrides), true);
  return best && { ...best.price };
}

export interface TokenUsage {
  model?: string;
  input_tokens?: number;
  output_tokens?: number;
  /** Parts of input_tokens (as the GenAI semantic conventions count them). */
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/**
 * Estimated cost in USD. Undefined when the model is missing or unknown, or when neither
 * token count is present; a missing side counts as zero tokens. Cache reads and writes are
 * parts of input_tokens, priced at the model's cached-input and cache-write prices (input
 * price where it lists none); a part larger than what is left of input_tokens is capped.
 */
export function computeCostUsd(usage: TokenUsage, overrides?: PriceOverrides): number | undefined {
  const { model, input_tokens: input, output_tokens: output } = usage;
  if (model === undefined || (input === undefined && output === undefined)) return undefined;
  const p = lookupPrice(model, overrides);
  if (!p) return undefined;
  const inputs = input ?? 0;
  const read = Math.min(usage.cache_read_input_tokens ?? 0, inputs);
  const written = Math.min(usage.cache_creation_input_tokens ?? 0, inputs - read);
  const cost =
    ((inputs - read - written) * p.input +
      read * (p.cached_input ?? p.input) +
      written * (p.cache_write ?? p.input) +
      (output ?? 0) * p.output) /
    1_000_000;
  return Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
