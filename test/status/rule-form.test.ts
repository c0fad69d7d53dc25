// The rule forms' fields as the API's bodies (pure).
import { describe, expect, it } from "vitest";
import { CreateRuleSchema, RuleSchema } from "../../src/alerts/rules/rule-schema";
import {
  createRuleBody,
  fieldOfPath,
  ruleFormValues,
  ruleUpdateBody,
} from "../../src/status/dashboard/rule-form";

const form = {
  name: "Slow",
  metric: "latency_ms",
  test: "quantile_ratio",
  threshold: "1.5",
  quantile: "p95",
  direction: "",
  min_effect: "",
  alpha: "",
  bins: "",
  min_samples: "50",
  window_minutes: "15",
  for_minutes: "5",
  repeat_interval_minutes: "240",
  severity: "warning",
  no_data: "ignore",
  environment: "production",
  slug_glob: "",
  channel_ch_a: "on",
  enabled: "on",
};

describe("rule form", () => {
  it("leaves out empty parameters on create and names only ticked channels", () => {
    const body = createRuleBody(form, ["ch_a", "ch_b"]);
    expect(body).toMatchObject({
      threshold: 1.5,
      quantile: "p95",
      channels: ["ch_a"],
      selector: { environment: "production" },
      send_resolved: false,
      enabled: true,
    });
    expect(body).not.toHaveProperty("direction");
    expect(CreateRuleSchema.safeParse(body).success).toBe(true);
  });

  it("clears empty parameters with null on edit", () => {
    const body = ruleUpdateBody(form, []);
    expect(body).toMatchObject({ direction: null, alpha: null, quantile: "p95", channels: [] });
  });

  it("turns text that is not a number into NaN, which the schema refuses", () => {
    const parsed = CreateRuleSchema.safeParse(createRuleBody({ ...form, threshold: "abc" }, []));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["threshold"]);
  });

  it("maps an issue's path to the field it is shown beside", () => {
    expect(fieldOfPath(["selector", "slug_glob"])).toBe("slug_glob");
    expect(fieldOfPath(["channels", 2])).toBe("channels");
    expect(fieldOfPath([])).toBe("_");
  });

  it("shows a stored rule as the form's values, which give the rule back", () => {
    const rule = RuleSchema.parse({
      id: "r",
      ...CreateRuleSchema.parse(createRuleBody(form, ["ch_a"])),
    });
    const again = CreateRuleSchema.parse(createRuleBody(ruleFormValues(rule), ["ch_a"]));
    expect({ id: "r", ...again }).toEqual(rule);
  });
});
