// Attribution of distribution and mix rules: the latency p95 rule names the model whose
// latency rose (not the others, not a locale), says everywhere when every model slowed, holds
// a segment new in the window to the overall baseline; the model-mix rule names the models
// whose share moved.
import { describe, expect, it } from "vitest";
import { attributeDistribution } from "../../../src/alerts/evaluation/shift-attribution";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import type { Rule } from "../../../src/alerts/rules/rule-schema";
import { emptyMoments } from "../../../src/window/segment-moments";
import { interaction } from "../../sample-events";
import { lognormal, seededRandom } from "../../sample-values";
import { addToWindow, checkWindows, emptyWindow } from "./segment-window";

const rule = (id: string): Rule => {
  const r = DEFAULT_RULES.find((x) => x.id === id);
  if (!r) throw new Error(id);
  return r;
};
const MODELS = ["model-a", "model-b", "model-c", "model-d"];

interface Traffic {
  n: number;
  /** Median latency per model; a model missing from `mix` takes none. */
  median: (model: string) => number;
  mix?: readonly number[];
}

function traffic(seed: number, t: Traffic) {
  const r = seededRandom(seed);
  const w = emptyWindow();
  const mix = t.mix ?? [0.25, 0.25, 0.25, 0.25];
  for (let i = 0; i < t.n; i++) {
    let u = r();
    let k = 0;
    while (k < mix.length - 1 && u >= (mix[k] ?? 0)) u -= mix[k++] ?? 0;
    const model = MODELS[k] ?? "model-a";
    const e = interaction({
      id: `e${i}`,
      model,
      latency_ms: lognormal(r, t.median(model), 0.4),
      tags: { locale: r() < 0.5 ? "en" : "ja" },
    });
    addToWindow(w, e);
  }
  return w;
}

const check = (id: string, base: ReturnType<typeof traffic>, cur: ReturnType<typeof traffic>) =>
  checkWindows(rule(id), base, cur);

describe("distribution attribution", () => {
  it("names the model whose latency rose, with its typical value before and after", () => {
    const base = traffic(1, { n: 20_000, median: () => 800 });
    const cur = traffic(2, { n: 2_000, median: (m) => (m === "model-c" ? 3_000 : 800) });
    const c = check("default:latency_ms_p95", base, cur);
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(false);
    const top = c.attribution?.segments[0];
    expect(top?.name).toBe("model=model-c");
    expect(top?.measure).toBe("typical_value");
    expect(top?.baseline_rate).toBeGreaterThan(700);
    expect(top?.baseline_rate).toBeLessThan(900);
    expect(top?.rate).toBeGreaterThan(2_600);
    expect(top?.share_of_excess).toBeGreaterThan(0.9);
    expect(c.attribution?.segments.map((s) => s.name)).not.toContain("locale=ja");
    expect(c.attribution?.text).toMatch(
      /^\d+ % of the rise in latency comes from model=model-c \(typical [\d,.]+ ms → [\d,.]+ ms\)/,
    );
    expect(c.affected?.share_of_traffic).toBeGreaterThan(0.2);
    expect(c.affected?.share_of_traffic).toBeLessThan(0.3);
  });

  it("says everywhere when every model slowed alike", () => {
    const base = traffic(3, { n: 20_000, median: () => 800 });
    const cur = traffic(4, { n: 2_000, median: () => 2_000 });
    const c = check("default:latency_ms_p95", base, cur);
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(true);
    expect(c.attribution?.text).toMatch(/^everywhere: no segment stands out/);
  });

  it("holds a model without baseline traffic to the overall baseline, and keeps a slow one that always was out", () => {
    // model-d is new in the window at the usual latency; model-b was always slow and stays so.
    const base = traffic(5, {
      n: 20_000,
      median: (m) => (m === "model-b" ? 4_000 : 800),
      mix: [0.4, 0.3, 0.3, 0],
    });
    const cur = traffic(6, {
      n: 2_000,
      median: (m) => (m === "model-b" ? 4_000 : m === "model-a" ? 2_400 : 800),
      mix: [0.3, 0.3, 0.2, 0.2],
    });
    const a = attributeDistribution("latency_ms", cur.moments, base.moments, true);
    expect(a?.segments[0]?.name).toBe("model=model-a");
    const names = a?.segments.map((s) => s.name) ?? [];
    expect(names).not.toContain("model=model-b");
    expect(names).not.toContain("model=model-d");
  });

  it("does not attribute a metric no segment has values of, nor without baseline moments", () => {
    expect(attributeDistribution("retrieval_top_score", emptyMoments(), null, true)).toBeNull();
    const cur = traffic(9, { n: 2_000, median: (m) => (m === "model-c" ? 3_000 : 800) });
    expect(attributeDistribution("latency_ms", cur.moments, null, true)).toBeNull();
    expect(attributeDistribution("latency_ms", cur.moments, emptyMoments(), true)).toBeNull();
  });
});

describe("mix attribution", () => {
  it("names the models whose share moved, largest shift first, and where they went", () => {
    const base = traffic(7, { n: 20_000, median: () => 800, mix: [0.6, 0.3, 0.1, 0] });
    const cur = traffic(8, { n: 2_000, median: () => 800, mix: [0.3, 0.3, 0.1, 0.3] });
    const c = check("default:model_mix", base, cur);
    expect(c.outcome).toBe("breach");
    const names = c.attribution?.segments.map((s) => s.name);
    expect(names?.slice(0, 2).sort()).toEqual(["model=model-a", "model=model-d"]);
    expect(names).not.toContain("model=model-b");
    const d = c.attribution?.segments.find((s) => s.value === "model-d");
    expect(d?.baseline_rate).toBeNull();
    expect(d?.measure).toBe("share");
    expect(c.attribution?.text).toMatch(/^\d+ % of the shift is model=model-[ad] \(/);
    expect(c.attribution?.text).toContain("new → ");
  });
});
