// How deeply a parsed JSON value nests, measured without recursion: recursive
// validators (the OTLP AnyValue schema) overflow the stack on a value nested ~1,000
// deep, so such a body must be refused before it reaches them.

/** Nesting allowed in an OTLP body: real exports stay below ~20 (resourceSpans → … → arrayValue). */
export const MAX_JSON_DEPTH = 64;

/**
 * The path of the first value nested deeper than `max` (arrays and objects count one
 * level each; the root is level 1), or undefined when none is. Stops as soon as it finds one.
 */
export function pathDeeperThan(root: unknown, max: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [
    { value: root, depth: 1, path: "" },
  ];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, depth, path } = top;
    if (typeof value !== "object" || value === null) continue;
    if (depth > max) return path || "(root)";
    const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof child === "object" && child !== null) {
        stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : String(key) });
      }
    }
  }
  return undefined;
}
