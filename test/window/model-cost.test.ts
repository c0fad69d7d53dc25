// Cost per model in a bucket: exact per named model, bounded (20 models plus "other"),
// kept through merges and the bucket's text code, and read by model budgets and attribution.
import { describe, expect, it } from "vitest";
import { topBurner } from "../../src/spend/attribution";
import { modelCost } from "../../src/spend/scope-spend";
import { decodeBucket, emptyBucket, encodeBucket, mergeBuckets } from "../../src/window/bucket";
import { MAX_VALUES, OTHER } from "../../src/window/capped-counts";
import { summarizeBucket } from "../../src/window/summary";
import { bucketOf, interaction } from "../sample-events";

describe("a bucket's cost per model", () => {
  it("sums each model's own cost, leaving out interactions without a cost or a model", () => {
    const b = bucketOf([
      interaction({ model: "gpt-4o", cost_usd: 0.9 }),
      interaction({ model: "gpt-4o-mini", cost_usd: 0.05 }),
      interaction({ model: "gpt-4o-mini", cost_usd: 0.05 }),
      interaction({ model: "gpt-4o-mini" }),
      interaction({ model: undefined, cost_usd: 1 }),
    ]);
    expect({ ...b.model_cost }).toEqual({ "gpt-4o": 0.9, "gpt-4o-mini": 0.1 });
    expect(summarizeBucket(b).cost.by_model).toEqual({ "gpt-4o": 0.9, "gpt-4o-mini": 0.1 });
  });

  it("keeps the costliest models named after a merge and folds the rest into other", () => {
    const into = bucketOf(
      Array.from({ length: MAX_VALUES }, (_, i) => interaction({ model: `m${i}`, cost_usd: 1 })),
    );
    mergeBuckets(into, bucketOf([interaction({ model: "expensive", cost_usd: 50 })]));
    const named = Object.keys(into.model_cost).filter((k) => k !== OTHER);
    expect(named).toHaveLength(MAX_VALUES);
    expect(into.model_cost.expensive).toBe(50);
    expect(into.model_cost[OTHER]).toBe(1);
    const total = Object.values(into.model_cost).reduce((a, b) => a + b, 0);
    expect(total).toBe(MAX_VALUES + 50);
  });

  it("survives the text code, and a bucket stored before it decodes with none", () => {
    const b = bucketOf([interaction({ model: "gpt-4o", cost_usd: 0.25 })]);
    expect({ ...decodeBucket(encodeBucket(b)).model_cost }).toEqual({ "gpt-4o": 0.25 });
    const old = JSON.parse(encodeBucket(emptyBucket())) as unknown[];
    expect(old).toHaveLength(6);
    expect({ ...decodeBucket(JSON.stringify(old)).model_cost }).toEqual({});
  });
});

describe("a model's cost in a rollup row", () => {
  const row = (byModel: Record<string, number> | null) => ({
    usd: 1,
    count: 10,
    models: JSON.stringify({ "gpt-4o": 1, "gpt-4o-mini": 9 }),
    byModel: byModel && JSON.stringify(byModel),
  });

  it("is the row's own figure for a named model, not its request share", () => {
    expect(modelCost(row({ "gpt-4o": 0.9, "gpt-4o-mini": 0.1 }), "gpt-4o")).toBe(0.9);
    expect(modelCost(row({ "gpt-4o": 0.9, "gpt-4o-mini": 0.1 }), "claude-sonnet-4")).toBe(0);
  });

  it("is the request-share estimate, capped at other, only for a model folded into other", () => {
    expect(modelCost(row({ "gpt-4o-mini": 0.95, other: 0.05 }), "gpt-4o")).toBeCloseTo(0.05, 12);
    expect(modelCost(row({ "gpt-4o-mini": 0.2, other: 0.8 }), "gpt-4o")).toBeCloseTo(0.1, 12);
  });

  it("falls back to the request share for rollups written before cost per model", () => {
    expect(modelCost(row(null), "gpt-4o")).toBeCloseTo(0.1, 12);
  });

  it("names the model that cost most as the burner, not the one with most requests", () => {
    const burner = topBurner(
      [
        {
          deploymentId: "p:production:a",
          environment: "production",
          slug: "a",
          start: 0,
          ...row({ "gpt-4o": 0.9, "gpt-4o-mini": 0.1 }),
        },
      ],
      0,
      60_000,
    );
    expect(burner.model?.name).toBe("gpt-4o");
    expect(burner.model?.share).toBeCloseTo(0.9, 12);
  });
});
