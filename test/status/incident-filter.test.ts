// The incidents list's filters: parsed from the query with what was ignored named, the
// release in force at a time, and what a release filter matches.
import { describe, expect, it } from "vitest";
import {
  parseIncidentFilter,
  releaseAt,
  releaseMatches,
} from "../../src/status/dashboard/incident-filter";

const r = (release: string, promptVersion: string, firstSeen: number) => ({
  release,
  promptVersion,
  model: "gpt-4.1",
  firstSeen,
});

describe("incident list filters", () => {
  it("defaults to any state and severity over 7 days", () => {
    expect(parseIncidentFilter({})).toEqual({
      filter: { state: "all", severity: "any", deployment: "", release: "", since: "7d" },
      ignored: [],
    });
  });

  it("keeps valid values and names the ignored ones", () => {
    const { filter, ignored } = parseIncidentFilter({
      state: "firing",
      severity: "fatal",
      deployment: "production/bot",
      since: "1y",
    });
    expect(filter).toMatchObject({
      state: "firing",
      severity: "any",
      deployment: "production/bot",
      since: "7d",
    });
    expect(ignored).toEqual(["severity", "since"]);
  });

  it("refuses a deployment that is not environment/slug", () => {
    expect(parseIncidentFilter({ deployment: "../x" }).ignored).toEqual(["deployment"]);
  });

  it("finds the release in force: the newest first seen at or before the time", () => {
    const list = [r("", "v13", 0), r("", "v14", 100), r("2.0", "v15", 200)];
    expect(releaseAt(list, 99)?.promptVersion).toBe("v13");
    expect(releaseAt(list, 100)?.promptVersion).toBe("v14");
    expect(releaseAt(list, -1)).toBeNull();
  });

  it("matches a release, prompt version or model, ignoring case", () => {
    const rel = r("2.0", "v15", 0);
    expect(releaseMatches(rel, "2.0")).toBe(true);
    expect(releaseMatches(rel, "V15")).toBe(true);
    expect(releaseMatches(rel, "GPT-4.1")).toBe(true);
    expect(releaseMatches(rel, "v1")).toBe(false);
    expect(releaseMatches(null, "v1")).toBe(false);
    expect(releaseMatches(null, "")).toBe(true);
  });
});
