// Attribution of a cost-per-request rise: the model whose cost per request tripled is named
// with its share of the extra cost; a rise everywhere names no segment.
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import type { Rule } from "../../../src/alerts/rules/rule-schema";
import { interaction } from "../../sample-events";
import { lognormal, seededRandom } from "../../sample-values";
import { addToWindow, checkWindows, emptyWindow } from "./segment-window";

const rule: Rule = (() => {
  const r = DEFAULT_RULES.find((x) => x.id === "default:cost_per_request");
  if (!r) throw new Error("default:cost_per_request");
  return r;
})();
const MODELS = ["model-a", "model-b", "model-c", "model-d"];
/** Each model's usual cost per request, in USD. */
const USUAL: Record<string, number> = {
  "model-a": 0.001,
  "model-b": 0.002,
  "model-c": 0.003,
  "model-d": 0.004,
};

/** n priced requests over the four models and two locales; `factor` scales a model's cost. */
function traffic(seed: number, n: number, factor: (model: string) => number) {
  const r = seededRandom(seed);
  const w = emptyWindow();
  for (let i = 0; i < n; i++) {
    const model = MODELS[Math.floor(r() * MODELS.length)] ?? "model-a";
    const cost = lognormal(r, (USUAL[model] ?? 0.001) * factor(model), 0.3);
    addToWindow(
      w,
      interaction({
        id: `e${i}`,
        model,
        cost_usd: cost,
        tags: { locale: r() < 0.5 ? "en" : "ja" },
      }),
    );
  }
  return w;
}

describe("cost per request attribution", () => {
  it("names the model whose cost per request tripled, with its share of the extra cost", () => {
    const base = traffic(1, 20_000, () => 1);
    const cur = traffic(2, 2_000, (m) => (m === "model-c" ? 3 : 1));
    const c = checkWindows(rule, base, cur);
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(false);
    const top = c.attribution?.segments[0];
    expect(top?.name).toBe("model=model-c");
    expect(top?.measure).toBe("typical_value");
    // Means in USD: about $0.0031 before (lognormal, σ 0.3), three times that now.
    expect(top?.baseline_rate).toBeGreaterThan(0.0028);
    expect(top?.baseline_rate).toBeLessThan(0.0034);
    expect(top?.rate).toBeGreaterThan(0.0085);
    expect(top?.rate).toBeLessThan(0.0102);
    // The extra cost in USD: ~500 requests × ~$0.0063 more each.
    expect(top?.excess).toBeGreaterThan(2.5);
    expect(top?.excess).toBeLessThan(4);
    expect(top?.share_of_excess).toBeGreaterThan(0.9);
    expect(c.attribution?.segments.map((s) => s.name)).not.toContain("locale=ja");
    expect(c.attribution?.text).toMatch(
      /^\d+ % of the extra cost comes from model=model-c \(mean \$0\.003\d* → \$0\.0(09|1)\d*\) \(\d+ segments looked at\)$/,
    );
    expect(c.affected?.share_of_traffic).toBeGreaterThan(0.2);
    expect(c.affected?.share_of_traffic).toBeLessThan(0.3);
  });

  it("says everywhere when every model's cost per request rose alike", () => {
    const base = traffic(3, 20_000, () => 1);
    const cur = traffic(4, 2_000, () => 2);
    const c = checkWindows(rule, base, cur);
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(true);
    expect(c.attribution?.text).toMatch(/^everywhere: no segment stands out/);
  });
});
