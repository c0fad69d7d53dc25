// Whether a rule's selector covers a deployment: environment equality and a slug glob.

/** Deployment identity within a project. */
export interface DeploymentRef {
  environment: string;
  slug: string;
}

/** "support-*" → /^support-.*$/: `*` any run of characters, `?` exactly one; nothing else special. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((ch) =>
      ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}$`);
}

export function globMatches(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}

export function ruleMatches(
  rule: { selector: { environment?: string | undefined; slug_glob?: string | undefined } },
  deployment: DeploymentRef,
): boolean {
  const { environment, slug_glob } = rule.selector;
  if (environment !== undefined && environment !== deployment.environment) return false;
  return slug_glob === undefined || globMatches(slug_glob, deployment.slug);
}
