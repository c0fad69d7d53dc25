// Whether a rule's selector covers a deployment: environment equality and a slug glob.

/** Deployment identity within a project. */
export interface DeploymentRef {
  environment: string;
  slug: string;
}

/**
 * Glob match anchored at both ends: `*` any run of characters (also none), `?` exactly
 * one, every other character literal. The classic two-pointer wildcard match, with no
 * regular expression built from the pattern: a mismatch only moves the last `*`'s
 * restart point one character on, so the work is at most |glob| × |value| steps (4,096
 * for the schema's 64-character bound) where a backtracking regex took 28 s on
 * `*a*a*a*a*a*a*a*b` (issue 9).
 */
export function globMatches(glob: string, value: string): boolean {
  let g = 0;
  let v = 0;
  // Where the last `*` was in the glob, and the value position it currently swallows up to.
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const ch = glob[g];
    if (ch === "*") {
      star = g++;
      resume = v;
    } else if (ch !== undefined && (ch === "?" || ch === value[v])) {
      g++;
      v++;
    } else if (star >= 0) {
      // Let the last `*` take one more character and retry what follows it.
      g = star + 1;
      v = ++resume;
    } else return false;
  }
  while (glob[g] === "*") g++;
  return g === glob.length;
}

export function ruleMatches(
  rule: { selector: { environment?: string | undefined; slug_glob?: string | undefined } },
  deployment: DeploymentRef,
): boolean {
  const { environment, slug_glob } = rule.selector;
  if (environment !== undefined && environment !== deployment.environment) return false;
  return slug_glob === undefined || globMatches(slug_glob, deployment.slug);
}
