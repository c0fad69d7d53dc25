// Component groups (pure): members together under the group's name, where the first is
// listed; components without a group stay in their place.
import { describe, expect, it } from "vitest";
import { groupComponents } from "../../src/status/component-groups";

describe("component groups", () => {
  it("gathers a group's members where its first member is listed, others stand alone", () => {
    const rows = groupComponents([
      { id: "a", group: "Assistants" },
      { id: "b", group: null },
      { id: "c", group: "Search" },
      { id: "d", group: "Assistants" },
      { id: "e", group: null },
    ]);
    expect(rows.map((r) => [r.group, r.items.map((i) => i.id)])).toEqual([
      ["Assistants", ["a", "d"]],
      [null, ["b"]],
      ["Search", ["c"]],
      [null, ["e"]],
    ]);
  });

  it("leaves a page without groups as it was: one row per component", () => {
    const rows = groupComponents([
      { id: "a", group: null },
      { id: "b", group: null },
    ]);
    expect(rows).toEqual([
      { group: null, items: [{ id: "a", group: null }] },
      { group: null, items: [{ id: "b", group: null }] },
    ]);
  });
});
