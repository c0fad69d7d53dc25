// Issue 15, item 4: every field error of an event is reported (at most 10), each with
// its path, not only the first; the fast path never hides one.
import { describe, expect, it } from "vitest";
import { MAX_ISSUES_PER_EVENT, validateEvents } from "../../src/ingest/parse-batch";
import { call, createProject } from "../helpers";

const NOW = Date.UTC(2026, 10, 22, 12);

describe("field errors per event", () => {
  it("names a bad deployment and a bad status together", () => {
    const { rejected } = validateEvents([{ deployment: "Bad Slug", status: "exploded" }], NOW);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.path).toBe("deployment");
    expect(rejected[0]?.issues?.map((i) => i.path)).toEqual(["deployment", "status"]);
  });

  it("lists unknown fields one by one beside the invalid ones", () => {
    const { rejected } = validateEvents(
      [{ deployment: "bot", latency_ms: -1, laténcy: 3, colour: "red", input_tokens: 1.5 }],
      NOW,
    );
    expect(rejected[0]?.issues?.map((i) => [i.path, i.message])).toEqual([
      ["latency_ms", "must be ≥ 0"],
      ["input_tokens", "must be an integer"],
      ["laténcy", 'unknown field "laténcy"'],
      ["colour", 'unknown field "colour"'],
    ]);
  });

  it("refuses a tag or eval score named __proto__ instead of dropping it unseen", () => {
    const events = [
      '{"type":"eval","ref":"r1","deployment":"bot","evals":{"__proto__":0.5}}',
      '{"deployment":"bot","tags":{"__proto__":"x","intent":"billing"}}',
      '{"deployment":"bot","tags":{"intent":"billing"}}',
    ].map((text) => JSON.parse(text) as unknown);
    const { valid, rejected } = validateEvents(events, NOW);
    expect(rejected.map((r) => [r.index, r.path, r.message])).toEqual([
      [0, "evals.__proto__", "__proto__ is not allowed as a name"],
      [1, "tags.__proto__", "__proto__ is not allowed as a name"],
    ]);
    expect(valid.map((v) => v.index)).toEqual([2]);
  });

  it("reports at most 10 field errors for an event with more", () => {
    const event: Record<string, unknown> = { deployment: "bot" };
    for (let i = 0; i < 14; i++) event[`typo_${i}`] = i;
    const { rejected } = validateEvents([event], NOW);
    expect(rejected[0]?.issues).toHaveLength(MAX_ISSUES_PER_EVENT);
    expect(rejected[0]?.issues?.[9]?.path).toBe("typo_9");
  });

  it("keeps one rejection per event, so counts of rejected events stay right", () => {
    const { valid, rejected } = validateEvents(
      [
        { deployment: "Bad", status: "x" },
        { deployment: "bot" },
        { deployment: "bot", feedback: 2, rating: 3 },
      ],
      NOW,
    );
    expect(valid.map((v) => v.index)).toEqual([1]);
    expect(rejected.map((r) => [r.index, r.issues?.length])).toEqual([
      [0, 2],
      [2, 2],
    ]);
  });

  it("answers each field error with its path over HTTP", async () => {
    const p = await createProject();
    const res = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: [{ deployment: "Bad Slug", status: "exploded", cost_usd: -2 }],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { details: { rejected: { path: string; issues: { path: string }[] }[] } };
    };
    expect(body.error.details.rejected[0]?.issues.map((i) => i.path)).toEqual([
      "deployment",
      "status",
      "cost_usd",
    ]);
  });
});
