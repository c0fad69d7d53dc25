// Distinct (hashed) users per segment (src/window/segment-counts.ts) and overall, each a
// 64-register HyperLogLog (src/window/distinct-count.ts), so an incident can say how many
// users its segment's interactions reach. Keys: "" for all interactions, "model=gpt-4o",
// "tags.locale=ja". At most MAX_USER_KEYS keys, first seen first kept (a later value shows
// no user count; its interactions still count under ""): 181 × 64 characters ≈ 12 KB a row
// at the cap, ~1 KB for a deployment with 14 segments.
import type { NormalizedEvent } from "../ingest/normalized";
import { minuteOf } from "../shared/time";
import { MAX_VALUES } from "./capped-counts";
import {
  addDistinct,
  type DistinctCount,
  decodeDistinct,
  emptyDistinct,
  encodeDistinct,
  estimateDistinct,
  mergeDistinct,
} from "./distinct-count";
import { MAX_SEGMENT_DIMENSIONS, SEGMENT_FIELDS } from "./segment-counts";

export const ALL_USERS = "";
export const MAX_USER_KEYS = 1 + MAX_SEGMENT_DIMENSIONS * MAX_VALUES;

export type SegmentUsers = Map<string, DistinctCount>;

export const userKey = (dimension: string, value: string) => `${dimension}=${value}`;

function addTo(s: SegmentUsers, key: string, user: string): void {
  const c = s.get(key) ?? (s.size < MAX_USER_KEYS ? emptyDistinct() : undefined);
  if (c === undefined) return;
  s.set(key, addDistinct(c, user));
}

/** Counts one interaction's user under "" and each of its segments; no user, nothing. */
export function addUserEvent(s: SegmentUsers, e: NormalizedEvent): SegmentUsers {
  if (e.type !== "interaction" || e.user_hash === undefined) return s;
  addTo(s, ALL_USERS, e.user_hash);
  for (const field of SEGMENT_FIELDS) {
    const value = e[field];
    if (value !== undefined) addTo(s, userKey(field, value), e.user_hash);
  }
  for (const [key, value] of Object.entries(e.tags ?? {})) {
    addTo(s, userKey(`tags.${key}`, value), e.user_hash);
  }
  return s;
}

/** Adds `from` into `into`; keys beyond MAX_USER_KEYS are dropped ("" is always kept). */
export function mergeUsers(into: SegmentUsers, from: SegmentUsers): SegmentUsers {
  for (const [key, c] of from) {
    const target = into.get(key);
    if (target) mergeDistinct(target, c);
    else if (into.size < MAX_USER_KEYS || key === ALL_USERS) into.set(key, Uint8Array.from(c));
  }
  return into;
}

/** Per minute, the users of the interactions of a batch. */
export function userMinutes(events: Iterable<NormalizedEvent>): Map<number, SegmentUsers> {
  const byMinute = new Map<number, SegmentUsers>();
  for (const e of events) {
    if (e.type !== "interaction" || e.user_hash === undefined) continue;
    const start = minuteOf(e.ts);
    byMinute.set(start, addUserEvent(byMinute.get(start) ?? new Map(), e));
  }
  return byMinute;
}

/** JSON text {key: registers}; "" for none. */
export function encodeUsers(s: SegmentUsers): string {
  if (s.size === 0) return "";
  return JSON.stringify(Object.fromEntries([...s].map(([k, c]) => [k, encodeDistinct(c)])));
}

/** Reads encodeUsers output; throws SyntaxError on anything else. */
export function decodeUsers(text: string): SegmentUsers {
  const out: SegmentUsers = new Map();
  if (text === "") return out;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new SyntaxError("users: not an object");
  for (const [key, registers] of Object.entries(parsed)) {
    if (typeof registers !== "string") throw new SyntaxError(`users: bad registers for ${key}`);
    out.set(key, decodeDistinct(registers));
  }
  return out;
}

/** Stored users, or null when none were kept or the text does not decode (they only explain). */
export function readUsers(text: string | undefined): SegmentUsers | null {
  if (text === undefined) return null;
  try {
    return decodeUsers(text);
  } catch {
    return null;
  }
}

/** Estimated distinct users under a key; null when the key was not kept. */
export function usersOf(s: SegmentUsers, key: string): number | null {
  const c = s.get(key);
  return c ? estimateDistinct(c) : null;
}
