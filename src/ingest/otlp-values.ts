// Typed reads of decoded OTLP attributes: first present key wins, values coerced to what
// the v1 event contract accepts (labels ≤ 128 chars, counts as safe integers, slugs).
import type { Attrs, AttrValue } from "./otlp-schema";

/** The value of the first key present in `attrs`; an empty string counts as absent. */
export function firstOf(attrs: Attrs, keys: readonly string[]): AttrValue {
  for (const key of keys) {
    const v = attrs.get(key);
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}

/** A non-empty string (numbers are stringified, e.g. an integer prompt version). */
export function asLabel(v: AttrValue, max = 128): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const s = String(v).trim().slice(0, max);
  return s === "" ? undefined : s;
}

/** A finite number; numeric strings are accepted because some instrumentations send them. */
export function asNumber(v: AttrValue): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/**
 * A non-negative integer, such as a token count. Values past the contract's bounds are
 * kept, so that the event schema rejects the span naming the field, not drop them silently.
 */
export function asCount(v: AttrValue): number | undefined {
  const n = asNumber(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Seconds (as OTel records durations) to milliseconds; negative values are dropped. */
export function secondsToMs(v: AttrValue): number | undefined {
  const n = asNumber(v);
  return n !== undefined && n >= 0 ? n * 1000 : undefined;
}

/** The first element of an array attribute, or the value itself; JSON-encoded arrays too. */
export function firstElement(v: AttrValue): AttrValue {
  if (Array.isArray(v)) return v[0];
  if (typeof v === "string" && v.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed) && typeof parsed[0] === "string") return parsed[0];
    } catch {
      // Not JSON: a finish reason that happens to start with "[" is kept as it is.
    }
  }
  return v;
}

/**
 * A deployment or environment slug: lower case, runs of characters outside [a-z0-9-_.]
 * become "-", leading/trailing separators dropped, at most 64 characters.
 */
export function slugify(v: AttrValue): string | undefined {
  const s = asLabel(v, 1024)
    ?.toLowerCase()
    .replace(/[^a-z0-9\-_.]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 64)
    .replace(/[-_.]+$/, "");
  return s ? s : undefined;
}
