import { describe, expect, it } from "vitest";
import {
  computeCostUsd,
  lookupPrice,
  normalizeModelName,
  PRICE_TABLE,
  PriceOverridesSchema,
  priceTableAgeDays,
} from "../../src/ingest/prices";

describe("computeCostUsd", () => {
  it("prices 1,000 input and 500 output tokens of gpt-4o-mini at $0.15/$0.60 per million", () => {
    // 1000 × 0.15 / 1e6 + 500 × 0.60 / 1e6 = 0.00015 + 0.0003
    expect(computeCostUsd({ model: "gpt-4o-mini", input_tokens: 1000, output_tokens: 500 })).toBe(
      0.00045,
    );
  });

  it("prices a million output tokens of claude-sonnet-4 at exactly $15", () => {
    expect(computeCostUsd({ model: "claude-sonnet-4-20250514", output_tokens: 1_000_000 })).toBe(
      15,
    );
  });

  it("prices cache reads at the cached-input price and cache writes at the cache-write price", () => {
    // gpt-4o: $2.50 input, $1.25 cached input; 1M input of which 400k read from the cache.
    expect(
      computeCostUsd({
        model: "gpt-4o",
        input_tokens: 1_000_000,
        cache_read_input_tokens: 400_000,
      }),
    ).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25, 12);
    // claude-sonnet-4-5: $3 input, reads 0.1×, 5-minute writes 1.25×.
    expect(
      computeCostUsd({
        model: "claude-sonnet-4-5",
        input_tokens: 1_000_000,
        cache_read_input_tokens: 500_000,
        cache_creation_input_tokens: 200_000,
      }),
    ).toBeCloseTo(0.3 * 3 + 0.5 * 0.3 + 0.2 * 3.75, 12);
    // No cached price listed (mistral-large): cache reads cost what input costs.
    expect(
      computeCostUsd({
        model: "mistral-large",
        input_tokens: 1_000_000,
        cache_read_input_tokens: 1,
      }),
    ).toBe(2);
    // Parts larger than input_tokens are capped at it.
    expect(
      computeCostUsd({ model: "gpt-4o", input_tokens: 100, cache_read_input_tokens: 1_000_000 }),
    ).toBeCloseTo((100 * 1.25) / 1e6, 15);
  });

  it("takes cached-input prices from overrides too", () => {
    const overrides = PriceOverridesSchema.parse({
      "my-model": { input: 1, output: 2, cached_input: 0.5 },
    });
    expect(
      computeCostUsd(
        { model: "my-model", input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 },
        overrides,
      ),
    ).toBe(0.5);
  });

  it("counts a missing token side as zero", () => {
    expect(computeCostUsd({ model: "gpt-4o", input_tokens: 2_000_000 })).toBe(5);
    expect(computeCostUsd({ model: "gpt-4o", output_tokens: 100_000 })).toBe(1);
    expect(computeCostUsd({ model: "gpt-4o", input_tokens: 0, output_tokens: 0 })).toBe(0);
  });

  it("returns undefined without any token counts, without a model, or for an unknown model", () => {
    expect(computeCostUsd({ model: "gpt-4o" })).toBeUndefined();
    expect(computeCostUsd({ input_tokens: 10, output_tokens: 10 })).toBeUndefined();
    expect(
      computeCostUsd({ model: "my-homegrown-model", input_tokens: 10, output_tokens: 10 }),
    ).toBeUndefined();
  });
});

describe("lookupPrice matching", () => {
  it("maps dated snapshots to their family", () => {
    expect(lookupPrice("gpt-4o-2024-08-06")).toMatchObject({ input: 2.5, output: 10 });
    expect(lookupPrice("claude-3-5-sonnet-20241022")).toMatchObject({ input: 3, output: 15 });
    expect(lookupPrice("claude-sonnet-4-20250514")).toMatchObject({ input: 3, output: 15 });
    expect(lookupPrice("claude-opus-4-1-20250805")).toMatchObject({ input: 15, output: 75 });
    expect(lookupPrice("gemini-2.0-flash-001")).toMatchObject({ input: 0.1, output: 0.4 });
    expect(lookupPrice("mistral-large-2411")).toMatchObject({ input: 2, output: 6 });
  });

  it("prefers the longest prefix, so mini and nano variants do not fall back to the base model", () => {
    expect(lookupPrice("gpt-4o-mini-2024-07-18")).toMatchObject({ input: 0.15, output: 0.6 });
    expect(lookupPrice("gpt-4.1-nano-2025-04-14")).toMatchObject({ input: 0.1, output: 0.4 });
    expect(lookupPrice("o3-mini-2025-01-31")).toMatchObject({ input: 1.1, output: 4.4 });
    expect(lookupPrice("gemini-2.5-flash-lite")).toMatchObject({ input: 0.1, output: 0.4 });
    expect(lookupPrice("gpt-4o-2024-05-13")).toMatchObject({ input: 5, output: 15 });
  });

  it("does not price a newer minor version as its predecessor", () => {
    expect(lookupPrice("claude-opus-4-9")).toBeUndefined();
    expect(lookupPrice("claude-opus-5-5")).toBeUndefined();
    expect(lookupPrice("gpt-5.9")).toBeUndefined();
    expect(lookupPrice("gpt-4o")).toMatchObject({ input: 2.5, output: 10 });
  });

  it("ignores case and provider prefixes", () => {
    expect(lookupPrice("openai/GPT-4o-mini")).toMatchObject({ input: 0.15, output: 0.6 });
    expect(lookupPrice("anthropic/claude-3-7-sonnet-latest")).toMatchObject({
      input: 3,
      output: 15,
    });
    expect(lookupPrice("models/gemini-1.5-pro-002")).toMatchObject({ input: 1.25, output: 5 });
    expect(lookupPrice("us.anthropic.claude-3-5-haiku-20241022-v1:0")).toMatchObject({
      input: 0.8,
      output: 4,
    });
  });

  it("folds common spellings of Claude and Llama names onto the table's", () => {
    expect(normalizeModelName("anthropic/claude-3.5-sonnet")).toBe("claude-3-5-sonnet");
    expect(lookupPrice("anthropic/claude-sonnet-4.5")).toMatchObject({ input: 3, output: 15 });
    expect(lookupPrice("meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo")).toEqual({
      input: 0.88,
      output: 0.88,
    });
    expect(lookupPrice("meta.llama3-1-405b-instruct-v1:0")).toMatchObject({
      input: 3.5,
      output: 3.5,
    });
    expect(lookupPrice("llama-3.3-70b-versatile")).toMatchObject({ input: 0.88, output: 0.88 });
  });

  it("returns undefined for unknown or empty model names", () => {
    expect(lookupPrice("gpt-4")).toBeUndefined();
    expect(lookupPrice("")).toBeUndefined();
    expect(lookupPrice("openai/")).toBeUndefined();
  });

  it("has a dated table of non-negative finite prices", () => {
    expect(PRICE_TABLE.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const p of Object.values(PRICE_TABLE.models)) {
      expect(Number.isFinite(p.input) && p.input >= 0).toBe(true);
      expect(Number.isFinite(p.output) && p.output >= 0).toBe(true);
    }
  });

  it("dates the table with a real calendar day, not in the future", () => {
    const at = Date.parse(`${PRICE_TABLE.asOf}T00:00:00Z`);
    expect(new Date(at).toISOString().slice(0, 10)).toBe(PRICE_TABLE.asOf);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(priceTableAgeDays(at + 36 * 3_600_000, PRICE_TABLE.asOf)).toBe(1);
    expect(priceTableAgeDays(at - 1, PRICE_TABLE.asOf)).toBe(0);
  });

  it("gives every row an input and an output price, cache prices on the right side of input, under a name lookups can match", () => {
    for (const [name, p] of Object.entries(PRICE_TABLE.models)) {
      expect(Object.keys(p).sort(), name).toEqual(expect.arrayContaining(["input", "output"]));
      if (p.cached_input !== undefined) expect(p.cached_input, name).toBeLessThanOrEqual(p.input);
      if (p.cache_write !== undefined) {
        expect(p.cache_write, name).toBeGreaterThanOrEqual(p.input);
      }
      // A key that is not a normalised name would never be matched by any event's model.
      expect(normalizeModelName(name), name).toBe(name);
      expect(lookupPrice(name), name).toEqual(p);
    }
  });
});

describe("the price table's refreshed rows", () => {
  // Values as the sources list them (docs/spend.md, "Where the rows come from"): OpenAI and
  // Google from pydantic/genai-prices, simonw/llm-prices and Langfuse's default prices;
  // Anthropic from its pricing pages, genai-prices and Langfuse; Mistral from genai-prices,
  // LiteLLM's price table and Puter's dated summary; Workers AI from Cloudflare's page.
  const listed: Record<
    string,
    { input: number; output: number; cached_input?: number; cache_write?: number }
  > = {
    // OpenAI
    "gpt-4o-mini": { input: 0.15, output: 0.6, cached_input: 0.075 },
    "gpt-4.1-mini": { input: 0.4, output: 1.6, cached_input: 0.1 },
    o3: { input: 2, output: 8, cached_input: 0.5 },
    "gpt-5": { input: 1.25, output: 10, cached_input: 0.125 },
    "gpt-5-mini": { input: 0.25, output: 2, cached_input: 0.025 },
    "gpt-5.4-nano": { input: 0.2, output: 1.25, cached_input: 0.02 },
    "gpt-5.5": { input: 5, output: 30, cached_input: 0.5 },
    "gpt-5.6-terra": { input: 2, output: 12, cached_input: 0.2, cache_write: 2.5 },
    // Google
    "gemini-2.5-pro": { input: 1.25, output: 10, cached_input: 0.125 },
    "gemini-2.5-flash": { input: 0.3, output: 2.5, cached_input: 0.03 },
    "gemini-2.5-flash-lite": { input: 0.1, output: 0.4, cached_input: 0.01 },
    "gemini-3.1-pro-preview": { input: 2, output: 12, cached_input: 0.2 },
    "gemini-3.5-flash": { input: 1.5, output: 9, cached_input: 0.15 },
    // Mistral
    "mistral-large-2512": { input: 0.5, output: 1.5 },
    "mistral-medium-latest": { input: 1.5, output: 7.5 },
    "mistral-medium": { input: 0.4, output: 2 },
    codestral: { input: 0.3, output: 0.9 },
    "magistral-medium": { input: 2, output: 5 },
    // Cloudflare Workers AI pricing page
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { input: 0.293, output: 2.253 },
    "@cf/meta/llama-3.1-8b-instruct": { input: 0.282, output: 0.827 },
    "@cf/meta/llama-3.1-8b-instruct-fp8-fast": { input: 0.045, output: 0.384 },
    "@cf/mistral/mistral-7b-instruct-v0.1": { input: 0.11, output: 0.19 },
    // Anthropic: base input, output, cache hits, 5-minute cache writes
    "claude-3-haiku": { input: 0.25, output: 1.25, cached_input: 0.03, cache_write: 0.3 },
    "claude-3-5-haiku": { input: 0.8, output: 4, cached_input: 0.08, cache_write: 1 },
    "claude-sonnet-4": { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 },
    "claude-sonnet-4-5": { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 },
    "claude-haiku-4-5": { input: 1, output: 5, cached_input: 0.1, cache_write: 1.25 },
    "claude-opus-4-1": { input: 15, output: 75, cached_input: 1.5, cache_write: 18.75 },
    "claude-opus-4-5": { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 },
    "claude-opus-4-7": { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 },
    "claude-opus-5": { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 },
  };

  it("hold the values their sources list", () => {
    expect(PRICE_TABLE.asOf).toBe("2026-08-21");
    for (const [model, price] of Object.entries(listed)) {
      const row = PRICE_TABLE.models[model];
      expect(row, model).toBeDefined();
      expect(Object.keys(row ?? {}).sort(), model).toEqual(Object.keys(price).sort());
      for (const [field, value] of Object.entries(price)) {
        expect(row?.[field as keyof typeof price], `${model} ${field}`).toBeCloseTo(value, 10);
      }
    }
  });

  it("price today's models and aliases at their own rows, not at an older family's", () => {
    // Newer minor versions and their sizes, under dated snapshot names.
    expect(lookupPrice("gpt-5.4-mini-2026-03-17")).toEqual({
      input: 0.75,
      output: 4.5,
      cached_input: 0.075,
    });
    expect(lookupPrice("openai/gpt-5.1-codex-mini")).toMatchObject({ input: 0.25, output: 2 });
    expect(lookupPrice("anthropic/claude-sonnet-4.6")).toMatchObject({ input: 3, output: 15 });
    expect(lookupPrice("models/gemini-3.1-flash-lite-preview")).toMatchObject({
      input: 0.25,
      output: 1.5,
    });
    // Mistral's "-latest" aliases point at Large 3 and Medium 3.5, priced apart from the
    // dated models of the same family.
    expect(lookupPrice("mistral-large-latest")).toEqual({ input: 0.5, output: 1.5 });
    expect(lookupPrice("mistral-large-2411")).toEqual({ input: 2, output: 6 });
    expect(lookupPrice("mistral-medium-latest")).toEqual({ input: 1.5, output: 7.5 });
    expect(lookupPrice("mistral-medium-2508")).toEqual({ input: 0.4, output: 2 });
    // GPT-5.6 lists cache writes: 1M input, of which 200k read and 300k written.
    expect(
      computeCostUsd({
        model: "gpt-5.6-terra",
        input_tokens: 1_000_000,
        cache_read_input_tokens: 200_000,
        cache_creation_input_tokens: 300_000,
      }),
    ).toBeCloseTo(0.5 * 2 + 0.2 * 0.2 + 0.3 * 2.5, 12);
  });

  it("price Workers AI models at Cloudflare's rows, under the binding's and AI Gateway's names", () => {
    expect(normalizeModelName("workers-ai/@cf/meta/llama-3.1-8b-instruct")).toBe(
      "@cf/meta/llama-3.1-8b-instruct",
    );
    expect(lookupPrice("@cf/meta/llama-3.1-8b-instruct")).toEqual({ input: 0.282, output: 0.827 });
    expect(lookupPrice("workers-ai/@cf/meta/llama-3.1-8b-instruct-awq")).toEqual({
      input: 0.123,
      output: 0.266,
    });
    expect(
      computeCostUsd({
        model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        input_tokens: 1_000_000,
        output_tokens: 1_000_000,
      }),
    ).toBeCloseTo(2.546, 10);
    // A Workers AI model without a row stays unknown rather than priced at Together AI's Llama row.
    expect(lookupPrice("@cf/meta/llama-3.1-70b-instruct")).toBeUndefined();
    expect(lookupPrice("meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo")).toEqual({
      input: 0.88,
      output: 0.88,
    });
  });
});

describe("price overrides", () => {
  it("win over the table for the same model, matched with the same normalisation", () => {
    const overrides = { "OpenAI/gpt-4o": { input: 1, output: 2 } };
    expect(lookupPrice("gpt-4o-2024-08-06", overrides)).toMatchObject({ input: 1, output: 2 });
    expect(
      computeCostUsd({ model: "gpt-4o", input_tokens: 1e6, output_tokens: 1e6 }, overrides),
    ).toBe(3);
  });

  it("do not capture a more specific model that has its own table row", () => {
    const overrides = { "gpt-4o": { input: 1, output: 2 } };
    expect(lookupPrice("gpt-4o-mini", overrides)).toMatchObject({ input: 0.15, output: 0.6 });
  });

  it("price models the table does not know", () => {
    const overrides = { "acme-support-ft": { input: 0.5, output: 0.5 } };
    expect(lookupPrice("acme-support-ft-v3", overrides)).toMatchObject({ input: 0.5, output: 0.5 });
    expect(lookupPrice("acme-support-ft-v3")).toBeUndefined();
  });

  it("are validated: key length, finite non-negative prices, at most 200 entries", () => {
    expect(PriceOverridesSchema.safeParse({ "gpt-4o": { input: 1, output: 2 } }).success).toBe(
      true,
    );
    expect(PriceOverridesSchema.safeParse({ "gpt-4o": { input: -1, output: 2 } }).success).toBe(
      false,
    );
    expect(
      PriceOverridesSchema.safeParse({ "gpt-4o": { input: Number.POSITIVE_INFINITY, output: 2 } })
        .success,
    ).toBe(false);
    expect(PriceOverridesSchema.safeParse({ "gpt-4o": { input: 1 } }).success).toBe(false);
    expect(
      PriceOverridesSchema.safeParse({ ["m".repeat(129)]: { input: 1, output: 1 } }).success,
    ).toBe(false);
    const many = Object.fromEntries(
      Array.from({ length: 201 }, (_, i) => [`m${i}`, { input: 1, output: 1 }]),
    );
    expect(PriceOverridesSchema.safeParse(many).success).toBe(false);
  });
});
