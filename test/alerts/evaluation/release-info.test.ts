// Which release is live at a time, from the release rows' first and last sightings: after a
// rollback the older release is named again, and a notification names both the release live
// now and the one live when its incident opened.
import { describe, expect, it } from "vitest";
import {
  latestReleaseChange,
  type ReleaseRow,
} from "../../../src/alerts/evaluation/baseline-ranges";
import { liveReleaseAt, releaseInfo } from "../../../src/alerts/evaluation/release-info";

const MIN = 60_000;
const T = Date.UTC(2026, 10, 23, 14, 0);
const row = (promptVersion: string, firstSeen: number, lastSeen: number): ReleaseRow => ({
  model: "gpt-4o-mini",
  provider: "openai",
  promptVersion,
  release: "",
  firstSeen,
  lastSeen,
});

// v13 for a week; v14 ships at T and is rolled back at T + 15 min; v13 serves since.
const v13 = row("v13", T - 7 * 24 * 60 * MIN, T + 40 * MIN);
const v14 = row("v14", T, T + 15 * MIN);
const releases = [v13, v14];
const V13 = "prompt v13 · model gpt-4o-mini · provider openai";
const V14 = "prompt v14 · model gpt-4o-mini · provider openai";

describe("liveReleaseAt", () => {
  it("names the new release while both were seen, and the old one again after the rollback", () => {
    expect(liveReleaseAt(releases, T - MIN)?.promptVersion).toBe("v13");
    expect(liveReleaseAt(releases, T + 5 * MIN)?.promptVersion).toBe("v14");
    expect(liveReleaseAt(releases, T + 20 * MIN)?.promptVersion).toBe("v13");
    expect(liveReleaseAt(releases, T + 41 * MIN)?.promptVersion).toBe("v13");
  });

  it("knows nothing before the first release", () => {
    expect(liveReleaseAt(releases, T - 8 * 24 * 60 * MIN)).toBeNull();
    expect(liveReleaseAt([], T)).toBeNull();
  });
});

describe("releaseInfo", () => {
  const now = T + 30 * MIN;
  const change = latestReleaseChange(releases, now);

  it("after a rollback names the release live now and the one live when the incident opened", () => {
    expect(releaseInfo(releases, change, now, T + 6 * MIN)).toEqual({
      version: V14,
      previous_version: V13,
      first_seen_at: T,
      live: V13,
      at_open: V14,
    });
  });

  it("names the same release twice while it is still live", () => {
    const during = T + 10 * MIN;
    expect(
      releaseInfo(releases, latestReleaseChange(releases, during), during, T + 6 * MIN),
    ).toMatchObject({ version: V14, live: V14, at_open: V14 });
  });

  it("is null when no release changed within the baseline", () => {
    expect(releaseInfo([v13], latestReleaseChange([v13], now), now, now)).toBeNull();
  });
});
