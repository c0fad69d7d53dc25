// Rule validation: defaults for API bodies, strict fields, metric/test compatibility named by
// field, updates re-checked as a whole, and the selectors that match deployments.
import { describe, expect, it } from "vitest";
import { ruleMatches } from "../../../src/alerts/evaluation/evaluate";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import {
  CreateRuleSchema,
  mergeRuleUpdate,
  type Rule,
  RuleSchema,
  UpdateRuleSchema,
} from "../../../src/alerts/rules/rule-schema";

const body = { name: "Thumbs-down up", metric: "thumbs_down_rate", test: "z_test", threshold: 3 };

/** The issues of a failed parse as "path: message" lines. */
function issues(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("CreateRuleSchema", () => {
  it("fills the defaults an API body leaves out", () => {
    expect(CreateRuleSchema.parse(body)).toEqual({
      ...body,
      min_samples: 50,
      for_minutes: 5,
      window_minutes: 15,
      severity: "warning",
      channels: [],
      selector: {},
      no_data: "ignore",
      repeat_interval_minutes: 240,
      send_resolved: true,
      enabled: true,
    });
  });

  it("rejects unknown fields by name, including inside the selector", () => {
    expect(issues(CreateRuleSchema.safeParse({ ...body, treshold: 2 }))).toEqual([
      ': Unrecognized key: "treshold"',
    ]);
    const nested = issues(CreateRuleSchema.safeParse({ ...body, selector: { env: "production" } }));
    expect(nested[0]).toMatch(/^selector: Unrecognized key: "env"/);
  });

  it("names the test field when the test does not fit the metric", () => {
    const [problem] = issues(CreateRuleSchema.safeParse({ ...body, metric: "latency_ms" }));
    expect(problem).toBe(
      'test: test "z_test" does not apply to distribution metric "latency_ms"; use one of quantile_ratio, psi, ks, wasserstein, static, cusum',
    );
    expect(issues(CreateRuleSchema.safeParse({ ...body, metric: "model_mix" }))[0]).toMatch(
      /^test: /,
    );
    expect(issues(CreateRuleSchema.safeParse({ ...body, metric: "traffic" }))[0]).toMatch(
      /^test: .*traffic_drop$/,
    );
  });

  it("names a parameter the chosen test does not read", () => {
    expect(issues(CreateRuleSchema.safeParse({ ...body, quantile: "p95" }))).toEqual([
      'quantile: quantile is not used by test "z_test" (only by quantile_ratio, static)',
    ]);
  });

  it("checks the threshold against what the test compares", () => {
    const latency = { ...body, metric: "latency_ms", test: "quantile_ratio" };
    expect(issues(CreateRuleSchema.safeParse({ ...latency, threshold: 0.8 }))[0]).toMatch(
      /^threshold: must be a ratio > 1/,
    );
    expect(
      issues(
        CreateRuleSchema.safeParse({
          ...body,
          metric: "traffic",
          test: "traffic_drop",
          threshold: 80,
        }),
      )[0],
    ).toBe("threshold: must be a drop fraction in (0, 1] (0.8 = 80 %)");
    const mix = { ...body, metric: "model_mix", test: "chi_squared", threshold: 0 };
    expect(issues(CreateRuleSchema.safeParse(mix))[0]).toMatch(
      /^alpha: chi_squared with threshold 0 needs alpha/,
    );
    expect(CreateRuleSchema.safeParse({ ...mix, alpha: 0.05 }).success).toBe(true);
    // A KS rule without alpha holds the default significance, so threshold 0 is a plain KS test.
    const ks = { ...body, metric: "output_chars", test: "ks", threshold: 0 };
    expect(CreateRuleSchema.safeParse(ks).success).toBe(true);
  });

  it("rejects unknown metrics and accepts custom evals and tags", () => {
    expect(issues(CreateRuleSchema.safeParse({ ...body, metric: "latency" }))[0]).toMatch(
      /^metric: unknown metric/,
    );
    expect(issues(CreateRuleSchema.safeParse({ ...body, metric: "evals." }))[0]).toMatch(
      /^metric: /,
    );
    const evals = {
      ...body,
      metric: "evals.groundedness",
      test: "psi",
      threshold: 0.2,
      alpha: 1e-5,
    };
    expect(CreateRuleSchema.safeParse(evals).success).toBe(true);
    const tags = {
      ...body,
      metric: "tags.intent",
      test: "chi_squared",
      threshold: 0.1,
      alpha: 1e-3,
    };
    expect(CreateRuleSchema.safeParse(tags).success).toBe(true);
  });

  it("validates selectors, severities and windows", () => {
    expect(
      CreateRuleSchema.safeParse({
        ...body,
        selector: { environment: "production", slug_glob: "support-*" },
      }).success,
    ).toBe(true);
    expect(
      issues(CreateRuleSchema.safeParse({ ...body, selector: { slug_glob: "Support/*" } }))[0],
    ).toMatch(/^selector\.slug_glob: /);
    expect(
      CreateRuleSchema.safeParse({ ...body, selector: { slug_glob: "*-bot-*.v?-*-*" } }).success,
    ).toBe(true);
    expect(
      issues(CreateRuleSchema.safeParse({ ...body, selector: { slug_glob: "*a*a*a*a*a*a*a*b" } })),
    ).toEqual(["selector.slug_glob: must have at most 4 * wildcards"]);
    expect(
      issues(
        CreateRuleSchema.safeParse({ ...body, selector: { slug_glob: `a${"?".repeat(64)}` } }),
      )[0],
    ).toMatch(/^selector\.slug_glob: must be a deployment slug pattern/);
    expect(issues(CreateRuleSchema.safeParse({ ...body, severity: "page" }))[0]).toMatch(
      /^severity: /,
    );
    expect(issues(CreateRuleSchema.safeParse({ ...body, window_minutes: 121 }))[0]).toMatch(
      /^window_minutes: /,
    );
    const staticBoth = { ...body, test: "static", threshold: 0.08, direction: "both" };
    expect(issues(CreateRuleSchema.safeParse(staticBoth))[0]).toMatch(
      /^direction: a static threshold/,
    );
  });
});

describe("updates", () => {
  const rule = RuleSchema.parse({ ...body, id: "r1", min_effect: 0.02 });

  it("accept any subset of fields but not an empty patch or unknown fields", () => {
    expect(UpdateRuleSchema.parse({ threshold: 4 })).toEqual({ threshold: 4 });
    expect(issues(UpdateRuleSchema.safeParse({}))).toEqual([
      ": an update needs at least one field",
    ]);
    expect(issues(UpdateRuleSchema.safeParse({ id: "x" }))[0]).toMatch(/Unrecognized key: "id"/);
  });

  it("re-check the merged rule, and null clears a parameter the new test would reject", () => {
    const patch = UpdateRuleSchema.parse({ metric: "output_chars", test: "psi", threshold: 0.1 });
    expect(issues(mergeRuleUpdate(rule, patch))).toEqual([
      'min_effect: min_effect is not used by test "psi" (only by z_test)',
    ]);
    const merged = mergeRuleUpdate(rule, UpdateRuleSchema.parse({ ...patch, min_effect: null }));
    expect(merged.success && merged.data).toMatchObject({
      id: "r1",
      test: "psi",
      metric: "output_chars",
    });
    expect(merged.success && "min_effect" in merged.data).toBe(false);
  });
});

describe("the default rule set", () => {
  it("is valid, with unique stable ids", () => {
    for (const r of DEFAULT_RULES) expect(RuleSchema.parse(r)).toEqual(r);
    const ids = DEFAULT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("default:error_rate");
    expect(ids).toContain("default:output_chars:critical");
    expect(ids.every((id) => id.startsWith("default:"))).toBe(true);
  });
});

describe("ruleMatches", () => {
  const withSelector = (selector: Rule["selector"]) => ({ selector });

  it("matches everything with an empty selector", () => {
    expect(ruleMatches(withSelector({}), { environment: "staging", slug: "anything" })).toBe(true);
  });

  it("matches an environment exactly and a slug glob anchored at both ends", () => {
    const rule = withSelector({ environment: "production", slug_glob: "support-*" });
    expect(ruleMatches(rule, { environment: "production", slug: "support-bot" })).toBe(true);
    expect(ruleMatches(rule, { environment: "staging", slug: "support-bot" })).toBe(false);
    expect(ruleMatches(rule, { environment: "production", slug: "my-support-bot" })).toBe(false);
    expect(
      ruleMatches(withSelector({ slug_glob: "bot-?.v2" }), { environment: "x", slug: "bot-a.v2" }),
    ).toBe(true);
    // "." is literal, not "any character".
    expect(
      ruleMatches(withSelector({ slug_glob: "bot-?.v2" }), { environment: "x", slug: "bot-aXv2" }),
    ).toBe(false);
  });
});
