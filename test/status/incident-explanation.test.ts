// The dashboard's incident card shows how big the change is and where: effect with its
// interval, the segment table or "everywhere", all escaped; nothing for older checks.
import { describe, expect, it } from "vitest";
import {
  explanationOf,
  IncidentExplanation,
} from "../../src/status/dashboard/incident-explanation";

const effect_size = {
  kind: "difference",
  of: "thumbs-down rate",
  estimate: 0.257,
  lower: 0.198,
  upper: 0.315,
  level: 0.95,
  method: "newcombe_hybrid_score",
  text: "+25.7 points (95 % CI 19.8 to 31.5)",
};
const segment = {
  dimension: "tags.locale",
  value: "ja",
  name: "locale=<b>ja</b>",
  observed: 62,
  expected: 10,
  excess: 52,
  share_of_excess: 0.72,
  trials: 200,
  share_of_traffic: 0.1,
  rate: 0.31,
  baseline_rate: 0.05,
  p_value: 1e-12,
};

const html = (lastCheck: Record<string, unknown> | null) =>
  String(IncidentExplanation({ e: explanationOf(lastCheck) }) ?? "");

describe("incident explanation on the dashboard", () => {
  it("shows the effect and a table of the segments that carry the change, escaped", () => {
    const out = html({ effect_size, attribution: { everywhere: false, segments: [segment] } });
    expect(out).toContain("Effect: thumbs-down rate +25.7 points (95 % CI 19.8 to 31.5)");
    expect(out).toContain("<table");
    expect(out).toContain("locale=&lt;b&gt;ja&lt;/b&gt;");
    expect(out).toContain("72 %");
    expect(out).toContain("5.0 % → 31.0 %");
    expect(out).toContain("10.0 %");
  });

  it("says everywhere when no segment stands out, and new for a segment without baseline", () => {
    expect(html({ attribution: { everywhere: true, segments: [] } })).toContain(
      "Where: everywhere (no segment stands out)",
    );
    const fresh = { ...segment, name: "model=new-one", baseline_rate: null };
    expect(html({ attribution: { everywhere: false, segments: [fresh] } })).toContain(
      "new → 31.0 %",
    );
  });

  it("shows a distribution rule's typical values in the metric's unit, not as rates", () => {
    const slow = {
      ...segment,
      name: "model=gpt-4o",
      measure: "typical_value",
      rate: 3140.4,
      baseline_rate: 812.2,
    };
    const out = html({ unit: "ms", attribution: { everywhere: false, segments: [slow] } });
    expect(out).toContain("812 ms → 3,140 ms");
    expect(out).not.toContain("314040.0 %");
  });

  it("shows a cost rule's means in USD with their digits, and a traffic drop's requests a minute", () => {
    const dear = { ...segment, measure: "typical_value", rate: 0.0161, baseline_rate: 0.0032 };
    const cost = html({ unit: "USD", attribution: { everywhere: false, segments: [dear] } });
    expect(cost).toContain("0.0032 USD → 0.016 USD");
    const gone = { ...segment, measure: "requests", rate: 0, baseline_rate: 36 };
    const traffic = html({
      unit: "events/min",
      attribution: { everywhere: false, segments: [gone] },
    });
    expect(traffic).toContain("36.00 /min → 0.00 /min");
  });

  it("shows nothing for a check from before effect sizes, or without any", () => {
    expect(explanationOf(null)).toBeNull();
    expect(explanationOf({ message: "Error rate 12 %" })).toBeNull();
    expect(html({ message: "x" })).toBe("");
  });
});
