import { describe, expect, it } from "vitest";
import { type Assertion, AssertionSchema } from "../../src/probes/assertion-schema";
import { judge, type Observation } from "../../src/probes/assertions";
import { checkLiteSchema } from "../../src/probes/json-schema-lite";
import { findRefusal } from "../../src/probes/refusal";
import { jaccardSimilarity } from "../../src/probes/similarity";

const obs = (answer: string | null, over: Partial<Observation> = {}): Observation => ({
  status: 200,
  latency_ms: 500,
  ttft_ms: null,
  answer,
  ...over,
});
const one = (a: Assertion, o: Observation) => judge([a], o).results.at(-1);

describe("assertions", () => {
  it("contains is case-sensitive, icontains is not, and negate flips both", () => {
    const o = obs("The capital of France is Paris.");
    expect(one({ type: "contains", value: "paris" }, o)?.result).toBe("fail");
    expect(one({ type: "icontains", value: "paris" }, o)?.result).toBe("pass");
    expect(one({ type: "contains", value: "Berlin", negate: true }, o)).toMatchObject({
      result: "pass",
      expected: 'not contains "Berlin"',
      observed: "The capital of France is Paris.",
    });
  });

  it("contains-any and contains-all", () => {
    const o = obs("Paris and Lyon");
    expect(one({ type: "contains-any", value: ["Berlin", "Lyon"] }, o)?.result).toBe("pass");
    expect(one({ type: "contains-all", value: ["Paris", "Berlin"] }, o)?.result).toBe("fail");
    expect(one({ type: "icontains-all", value: ["paris", "LYON"] }, o)?.result).toBe("pass");
  });

  it("latency and ttft budgets pass, degrade and fail with the observed milliseconds", () => {
    const budget: Assertion = { type: "latency", value: 2000, degraded: 1000 };
    expect(one(budget, obs("x", { latency_ms: 900 }))).toMatchObject({
      result: "pass",
      observed: 900,
    });
    expect(one(budget, obs("x", { latency_ms: 1500 }))).toMatchObject({ result: "degraded" });
    expect(one(budget, obs("x", { latency_ms: 2500 }))).toMatchObject({
      result: "fail",
      observed: 2500,
    });
    const ttft: Assertion = { type: "ttft", value: 800, degraded: 300 };
    expect(one(ttft, obs("x", { ttft_ms: 450 }))?.result).toBe("degraded");
    expect(one(ttft, obs("x", { ttft_ms: null }))?.result).toBe("fail");
  });

  it("a degraded budget makes the run degraded, not failed", () => {
    const j = judge(
      [
        { type: "latency", value: 2000, degraded: 1000 },
        { type: "contains", value: "ok" },
      ],
      obs("ok", { latency_ms: 1200 }),
    );
    expect(j.outcome).toBe("degraded");
    expect(j.score).toBe(1);
  });

  it("regex runs on the linear matcher with flags", () => {
    expect(
      one({ type: "regex", value: "^the capital", flags: "i" }, obs("The capital"))?.result,
    ).toBe("pass");
    expect(one({ type: "regex", value: "\\d{3}" }, obs("no digits"))?.result).toBe("fail");
  });

  it("is-json checks syntax and the schema subset, naming the violation", () => {
    const schema = {
      type: "object" as const,
      required: ["answer"],
      properties: { answer: { type: "string" as const }, level: { enum: ["low", "high"] } },
    };
    expect(one({ type: "is-json" }, obs('{"a":1}'))?.result).toBe("pass");
    expect(one({ type: "is-json" }, obs("{a:1}"))?.result).toBe("fail");
    expect(
      one({ type: "is-json", value: schema }, obs('{"answer":"x","level":"low"}'))?.result,
    ).toBe("pass");
    expect(one({ type: "is-json", value: schema }, obs('{"level":"low"}'))).toMatchObject({
      result: "fail",
      observed: '$: missing required "answer"',
    });
    expect(checkLiteSchema({ answer: 3 }, schema)).toBe("$.answer: expected string, got number");
    expect(checkLiteSchema([1, 2.5], { type: "array", items: { type: "integer" } })).toBe(
      "$[1]: expected integer, got number",
    );
  });

  it("length counts characters within the range", () => {
    expect(one({ type: "length", value: { min: 3, max: 5 } }, obs("héllo"))).toMatchObject({
      result: "pass",
      observed: 5,
    });
    expect(one({ type: "length", value: { max: 4 } }, obs("héllo"))?.result).toBe("fail");
  });

  it("is-refusal finds refusal phrasings (typographic apostrophes too) and takes an override list", () => {
    expect(findRefusal("I’m sorry, but I can’t help with that request.")).toBe("i can't help with");
    expect(findRefusal("Paris is the capital.")).toBeNull();
    expect(one({ type: "is-refusal", negate: true }, obs("I cannot help with that."))?.result).toBe(
      "fail",
    );
    expect(
      one({ type: "is-refusal", value: ["computer says no"] }, obs("Computer says no."))?.result,
    ).toBe("pass");
    expect(
      one({ type: "is-refusal", value: ["computer says no"] }, obs("I cannot help with that."))
        ?.result,
    ).toBe("fail");
  });

  it("similar uses token-set Jaccard similarity with a threshold", () => {
    expect(jaccardSimilarity("Paris is the capital", "The capital is Paris!")).toBe(1);
    expect(jaccardSimilarity("a b c d", "a b x y")).toBeCloseTo(2 / 6, 10);
    expect(jaccardSimilarity("", "")).toBe(1);
    const a: Assertion = {
      type: "similar",
      value: "The capital of France is Paris",
      threshold: 0.6,
    };
    expect(one(a, obs("Paris is the capital of France."))).toMatchObject({
      result: "pass",
      observed: 1,
    });
    expect(one(a, obs("I do not know."))).toMatchObject({ result: "fail", observed: 0 });
  });

  it("a non-2xx answer fails the implied status check and skips answer assertions", () => {
    const j = judge([{ type: "contains", value: "Paris" }], obs(null, { status: 500 }));
    expect(j.outcome).toBe("fail");
    expect(j.results).toMatchObject([
      { type: "status", result: "fail", expected: "status 2xx", observed: 500 },
      { type: "contains", result: "skipped" },
    ]);
    expect(j.score).toBe(0);
  });

  it("an explicit status assertion replaces the implied one", () => {
    const j = judge([{ type: "status", value: 201 }], obs("x", { status: 200 }));
    expect(j.results).toHaveLength(1);
    expect(j.results[0]).toMatchObject({ result: "fail", expected: "status 201", observed: 200 });
  });

  it("weight 0 records a failure without failing the run; weights set the score", () => {
    const j = judge(
      [
        { type: "contains", value: "Paris", weight: 3 },
        { type: "contains", value: "Lyon", weight: 0 },
      ],
      obs("Paris"),
    );
    expect(j.outcome).toBe("pass");
    expect(j.results[2]?.result).toBe("fail");
    expect(j.score).toBe(1);
    const k = judge(
      [
        { type: "contains", value: "Paris", weight: 3 },
        { type: "contains", value: "Lyon" },
      ],
      obs("Paris"),
    );
    expect(k.score).toBeCloseTo(4 / 5, 10);
  });

  it("the schema rejects bad assertions with a field path", () => {
    const bad = (a: unknown) => AssertionSchema.safeParse(a).success;
    expect(bad({ type: "regex", value: "(a)\\1" })).toBe(false);
    expect(bad({ type: "latency", value: 1000, degraded: 2000 })).toBe(false);
    expect(bad({ type: "latency", value: 1000, negate: true })).toBe(false);
    expect(bad({ type: "length", value: {} })).toBe(false);
    expect(bad({ type: "length", value: { min: 5, max: 2 } })).toBe(false);
    expect(bad({ type: "similar", value: "x", threshold: 2 })).toBe(false);
    expect(bad({ type: "is-json", value: { type: "object", pattern: "x" } })).toBe(false);
    expect(bad({ type: "nope", value: 1 })).toBe(false);
    expect(bad({ type: "regex", value: "^ok$", flags: "i" })).toBe(true);
    const r = AssertionSchema.safeParse({ type: "regex", value: "(?=x)" });
    expect(r.error?.issues[0]?.path).toEqual(["value"]);
  });
});
