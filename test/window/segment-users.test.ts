// Distinct users per segment: counted per dimension and value and overall, bounded,
// mergeable, stored as text.
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import {
  ALL_USERS,
  addUserEvent,
  decodeUsers,
  encodeUsers,
  MAX_USER_KEYS,
  mergeUsers,
  readUsers,
  type SegmentUsers,
  userKey,
  userMinutes,
  usersOf,
} from "../../src/window/segment-users";

function interaction(user: string | undefined, locale: string, ts = 0): NormalizedEvent {
  return {
    type: "interaction",
    id: `e-${user}-${locale}-${ts}`,
    deployment: "d",
    environment: "production",
    ts,
    status: "ok",
    model: "gpt-4o",
    tags: { locale },
    ...(user ? { user_hash: user } : {}),
  } as NormalizedEvent;
}

describe("distinct users per segment", () => {
  it("counts a user once overall and in each segment it was seen in", () => {
    const s: SegmentUsers = new Map();
    for (let i = 0; i < 30; i++) addUserEvent(s, interaction(`u${i % 10}`, i < 20 ? "en" : "ja"));
    // The same 10 users everywhere: the same registers, estimated within the sketch's error.
    expect(s.get(userKey("model", "gpt-4o"))).toEqual(s.get(ALL_USERS));
    expect(s.get(userKey("tags.locale", "ja"))).toEqual(s.get(ALL_USERS));
    expect(Math.abs((usersOf(s, ALL_USERS) ?? 0) - 10)).toBeLessThanOrEqual(2);
    expect(usersOf(s, userKey("tags.locale", "fr"))).toBeNull();
  });

  it("ignores interactions without a user", () => {
    const s = addUserEvent(new Map(), interaction(undefined, "en"));
    expect(s.size).toBe(0);
    expect(userMinutes([interaction(undefined, "en")]).size).toBe(0);
  });

  it("keeps at most MAX_USER_KEYS keys, and the overall count even past the cap", () => {
    const s: SegmentUsers = new Map();
    for (let i = 0; i < 500; i++) addUserEvent(s, interaction(`u${i}`, `l${i}`));
    expect(s.size).toBe(MAX_USER_KEYS);
    const merged = mergeUsers(new Map([["tags.locale=x", new Uint8Array(64)]]), s);
    expect(merged.size).toBe(MAX_USER_KEYS);
    expect(merged.has(ALL_USERS)).toBe(true);
  });

  it("merges minutes so a user seen in two minutes counts once", () => {
    const minutes = userMinutes([interaction("a", "en", 0), interaction("a", "en", 60_000)]);
    expect(minutes.size).toBe(2);
    const merged: SegmentUsers = new Map();
    for (const m of minutes.values()) mergeUsers(merged, m);
    expect(usersOf(merged, ALL_USERS)).toBe(1);
  });

  it("round-trips through its text, and reads bad or missing text as not counted", () => {
    const s = addUserEvent(new Map(), interaction("a", "en"));
    expect(decodeUsers(encodeUsers(s))).toEqual(s);
    expect(encodeUsers(new Map())).toBe("");
    expect(readUsers(undefined)).toBeNull();
    expect(readUsers('{"":"short"}')).toBeNull();
    expect(readUsers("")?.size).toBe(0);
  });
});
