// Release markers link to the comparison page: at the release's verdict, else at the pair of
// the release and the one before it.
import { describe, expect, it } from "vitest";
import { linkMarkers, releasesPath } from "../../src/status/dashboard/release-marker-links";
import { releaseMarkers } from "../../src/status/dashboard/views";
import { releaseKey } from "../../src/window/aggregate";

const release = (promptVersion: string, firstSeen: number) => ({
  model: "m",
  provider: "p",
  promptVersion,
  release: "",
  firstSeen,
});
const key = (p: string) => releaseKey(release(p, 0));

describe("release marker links", () => {
  it("names each marker's release and the one before it", () => {
    const markers = releaseMarkers([release("v2", 2), release("v1", 1), release("v3", 3)]);
    expect(markers.map((m) => m.compare)).toEqual([
      [key("v1"), key("v2")],
      [key("v2"), key("v3")],
    ]);
  });

  it("links a marker to its release's verdict, else to the comparison with the release before", () => {
    const markers = releaseMarkers([release("v1", 1), release("v2", 2), release("v3", 3)]);
    const path = releasesPath("prod env", "bot");
    const linked = linkMarkers(markers, new Map([[key("v3"), "ver_1"]]), path);
    expect(path).toBe("/dashboard/d/prod%20env/bot/releases");
    expect(linked.map((m) => m.href)).toEqual([
      `${path}?a=${encodeURIComponent(key("v1"))}&b=${encodeURIComponent(key("v2"))}`,
      `${path}?verdict=ver_1`,
    ]);
  });

  it("leaves a marker without compared releases unlinked", () => {
    const linked = linkMarkers([{ t: 1, label: "x", title: "x" }], new Map(), "/p");
    expect(linked[0]?.href).toBeUndefined();
  });
});
