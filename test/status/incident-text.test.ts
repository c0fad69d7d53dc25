import { describe, expect, it } from "vitest";
import { implicatedChange, publicTitle } from "../../src/status/incident-text";

const DAY = 86_400_000;
const row = (promptVersion: string, model: string, firstSeen: number, lastSeen: number) => ({
  model,
  provider: "openai",
  promptVersion,
  release: "",
  firstSeen,
  lastSeen,
});

describe("implicatedChange", () => {
  it("names only the fields that changed, against the release live just before", () => {
    const releases = [row("v13", "a", 0, 10 * DAY), row("v14", "b", 10 * DAY, 11 * DAY)];
    expect(implicatedChange(releases, 10 * DAY + 1000)).toEqual({
      summary: "prompt v13 → v14, model a → b",
      at: 10 * DAY,
      labelled: true,
      changes: [
        { field: "prompt", from: "v13", to: "v14" },
        { field: "model", from: "a", to: "b" },
      ],
    });
  });

  it("keeps the client-set values out of the change when labels are not shown", () => {
    const releases = [row("v13", "a", 0, 10 * DAY), row("v14", "a", 10 * DAY, 11 * DAY)];
    expect(implicatedChange(releases, 10 * DAY + 1000, false)).toEqual({
      summary: "a prompt change",
      at: 10 * DAY,
      labelled: false,
      changes: [{ field: "prompt" }],
    });
  });

  it("compares a rollback with the release it replaced, not the oldest", () => {
    const releases = [
      row("v1", "a", 0, 5 * DAY),
      row("v2", "a", 4 * DAY, 6 * DAY),
      row("v1b", "a", 6 * DAY, 7 * DAY),
    ];
    expect(implicatedChange(releases, 6 * DAY + 1)?.summary).toBe("prompt v2 → v1b");
  });

  it("is null without an earlier release or when the change is older than a week", () => {
    expect(implicatedChange([row("v1", "a", 0, DAY)], DAY)).toBeNull();
    const releases = [row("v1", "a", 0, DAY), row("v2", "a", DAY, 20 * DAY)];
    expect(implicatedChange(releases, 9 * DAY)).toBeNull();
    expect(implicatedChange(releases, DAY / 2)).toBeNull();
  });
});

describe("publicTitle", () => {
  it("speaks about quality per metric, with evals and tags by name", () => {
    expect(publicTitle("thumbs_down_rate")).toBe("More users unhappy with answers");
    expect(publicTitle("evals.groundedness")).toBe("Lower groundedness scores");
    expect(publicTitle("tags.intent")).toBe("Shift in intent mix");
    expect(publicTitle(null)).toBe("Quality degraded");
  });
});
