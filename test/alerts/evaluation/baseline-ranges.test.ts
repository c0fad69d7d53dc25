import { describe, expect, it } from "vitest";
import {
  latestReleaseChange,
  type ReleaseRow,
} from "../../../src/alerts/evaluation/baseline-ranges";

const H = 3_600_000;
const rel = (promptVersion: string, firstSeen: number, lastSeen: number): ReleaseRow => ({
  model: "gpt-4o-mini",
  provider: "openai",
  promptVersion,
  release: "",
  firstSeen,
  lastSeen,
});

describe("release changes and baseline ranges", () => {
  const now = 1_000 * H;

  it("sees no change while only one release exists", () => {
    expect(latestReleaseChange([rel("v13", now - 100 * H, now)], now)).toBeNull();
  });

  it("names the new release and the one live just before it, even after a rollback", () => {
    const releases = [
      rel("v13", now - 300 * H, now - 1 * H),
      rel("v14", now - 20 * H, now - 19 * H),
      rel("v15", now - 2 * H, now),
    ];
    expect(latestReleaseChange(releases, now)).toEqual({
      version: "prompt v15 · model gpt-4o-mini · provider openai",
      previous_version: "prompt v13 · model gpt-4o-mini · provider openai",
      first_seen_at: now - 2 * H,
    });
  });

  it("forgets a change older than the rolling baseline", () => {
    expect(
      latestReleaseChange([rel("v13", now - 400 * H, now), rel("v14", now - 200 * H, now)], now),
    ).toBeNull();
  });
});
