// Attribution of rules on scores: the retrieval top score's default rule and a custom eval's
// rule name the locale whose scores fell, with its share of the fall and its mean before and
// after, and say everywhere when every locale's scores fell alike.
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { type Rule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { interaction } from "../../sample-events";
import { seededRandom } from "../../sample-values";
import { addToWindow, checkWindows as check, emptyWindow } from "./segment-window";

const LOCALES = ["en", "de", "fr", "es", "ja"];

const retrievalRule = (): Rule => {
  const r = DEFAULT_RULES.find((x) => x.id === "default:retrieval_top_score");
  if (!r) throw new Error("no retrieval rule");
  return r;
};
const evalRule = RuleSchema.parse({
  id: "rule_grounded",
  name: "Groundedness shifted",
  metric: "evals.grounded",
  test: "psi",
  threshold: 0.1,
  alpha: 1e-5,
});

/** Interactions whose retrieval score and eval score center on `mean(locale)`. */
function traffic(seed: number, n: number, mean: (locale: string) => number) {
  const r = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const clip = (x: number) => Math.min(1, Math.max(0, x));
  const w = emptyWindow();
  for (let i = 0; i < n; i++) {
    const locale = LOCALES[Math.floor(r() * LOCALES.length)] ?? "en";
    const e = interaction({
      id: `s${seed}-${i}`,
      model: "gpt-4o-mini",
      retrieval: { top_score: clip(mean(locale) + 0.08 * normal()) },
      evals: { grounded: clip(mean(locale) + 0.1 * normal()) },
      tags: { locale },
    });
    addToWindow(w, e);
  }
  return w;
}

describe("attribution of score rules", () => {
  const base = traffic(1, 20_000, () => 0.8);
  const jaFell = traffic(2, 2_000, (l) => (l === "ja" ? 0.5 : 0.8));
  const allFell = traffic(3, 2_000, () => 0.7);

  it("names the locale whose retrieval top score fell, with its share and its mean before and after", () => {
    const c = check(retrievalRule(), base, jaFell);
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(false);
    const top = c.attribution?.segments[0];
    expect(top?.name).toBe("locale=ja");
    expect(top?.measure).toBe("typical_value");
    expect(top?.share_of_excess).toBeGreaterThan(0.9);
    expect(top?.baseline_rate).toBeCloseTo(0.8, 1);
    expect(top?.rate).toBeCloseTo(0.5, 1);
    expect(c.attribution?.segments.map((s) => s.dimension)).not.toContain("model");
    expect(c.attribution?.text).toMatch(
      /^\d+ % of the fall in retrieval top score comes from locale=ja \(mean 0\.\d+ → 0\.\d+\)/,
    );
    expect(c.affected?.share_of_traffic).toBeGreaterThan(0.15);
    expect(c.affected?.share_of_traffic).toBeLessThan(0.25);
  });

  it("names the locale whose custom eval score fell, with its share of the fall", () => {
    const c = check(evalRule, base, jaFell);
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(false);
    const top = c.attribution?.segments[0];
    expect(top?.name).toBe("locale=ja");
    expect(top?.share_of_excess).toBeGreaterThan(0.9);
    expect(top?.rate).toBeCloseTo(0.5, 1);
    expect(c.attribution?.text).toMatch(/^\d+ % of the fall in eval grounded comes from locale=ja/);
  });

  it("says everywhere when every locale's scores fell alike", () => {
    for (const rule of [retrievalRule(), evalRule]) {
      const c = check(rule, base, allFell);
      expect(c.outcome).toBe("breach");
      expect(c.attribution?.everywhere).toBe(true);
      expect(c.attribution?.segments).toEqual([]);
      expect(c.attribution?.text).toMatch(/^everywhere: no segment stands out \(5 segments/);
    }
  });
});
