// What burns: the top deployment and model of a window's spend, by share.
import { describe, expect, it } from "vitest";
import { topBurner } from "../../src/spend/attribution";
import type { DeploymentBucketSpend } from "../../src/spend/scope-spend";

const row = (
  d: string,
  start: number,
  usd: number,
  models: Record<string, number>,
): DeploymentBucketSpend => ({
  deploymentId: `p:production:${d}`,
  environment: "production",
  slug: d,
  start,
  usd,
  count: Object.values(models).reduce((a, b) => a + b, 0),
  models: JSON.stringify(models),
});

describe("top burner", () => {
  it("names the deployment and the model with the largest share of the window's spend", () => {
    const rows = [
      row("a", 0, 3, { "gpt-4o": 1, "gpt-4o-mini": 2 }),
      row("b", 60_000, 1, { "gpt-4o-mini": 1 }),
      row("a", 120_000, 100, { "gpt-4o": 1 }), // outside [0, 120 000)
    ];
    const burner = topBurner(rows, 0, 120_000);
    expect(burner.deployment).toMatchObject({ slug: "a", share: 0.75 });
    expect(burner.model?.name).toBe("gpt-4o-mini");
    expect(burner.model?.share).toBeCloseTo(0.75, 9);
  });

  it("a window without spend names nothing", () => {
    expect(topBurner([], 0, 60_000)).toEqual({ deployment: null, model: null });
  });

  it("a rollup whose model mix does not parse still counts toward its deployment", () => {
    const broken = { ...row("a", 0, 2, {}), models: "{" };
    expect(topBurner([broken], 0, 60_000)).toMatchObject({ deployment: { share: 1 }, model: null });
  });
});
