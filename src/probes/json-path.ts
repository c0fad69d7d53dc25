// A small JSON path: `choices.0.message.content`, `$.choices[0].message.content` or
// `content[0].text`. Dots and brackets only (no wildcards or filters): a probe names one
// answer field, and a grammar this small is easy to validate at the route.

export type PathPart = string | number;

const SEGMENT = /^[A-Za-z_$][\w$-]*$/;

/** Parses a path into keys and indices; throws a RangeError naming the bad piece. */
export function parseJsonPath(path: string): PathPart[] {
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1).replace(/^\./, "");
  if (rest === "") return [];
  const parts: PathPart[] = [];
  for (const raw of rest.split(".")) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(raw);
    if (!m) throw new RangeError(`bad path segment "${raw}"`);
    const [, key = "", indices = ""] = m;
    if (key !== "") {
      if (/^\d+$/.test(key)) parts.push(Number(key));
      else if (SEGMENT.test(key)) parts.push(key);
      else throw new RangeError(`bad path segment "${raw}"`);
    } else if (indices === "") throw new RangeError("empty path segment");
    for (const idx of indices.matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}

/** The value at `parts`, or undefined when any step is missing. */
export function getAtPath(value: unknown, parts: readonly PathPart[]): unknown {
  let cur: unknown = value;
  for (const part of parts) {
    if (typeof part === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[part];
    } else {
      if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
      if (!Object.hasOwn(cur, part)) return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
  }
  return cur;
}
