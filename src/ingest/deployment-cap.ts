// Which events would create a deployment past the project's limit. Pure: the caller
// supplies the deployments the project already has. Events of known deployments always
// pass; new deployments are admitted in order of first appearance until the limit.
import type { Rejection, ValidEvent } from "./parse-batch";

export const DEFAULT_MAX_DEPLOYMENTS = 100;

/** `environment:slug`, as deployments are keyed within a project. */
export const deploymentKey = (environment: string, slug: string) => `${environment}:${slug}`;

export interface KnownDeployments {
  /** deploymentKey of every deployment the project has. */
  keys: ReadonlySet<string>;
}

export interface CapResult {
  valid: ValidEvent[];
  rejected: Rejection[];
  /** New deployments this request may create (their keys). */
  admitted: string[];
}

/** The limit from the MAX_DEPLOYMENTS_PER_PROJECT var: a whole number ≥ 1, else the default. */
export function deploymentLimitOf(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : DEFAULT_MAX_DEPLOYMENTS;
}

export function capDeployments(
  valid: readonly ValidEvent[],
  known: KnownDeployments,
  limit: number,
  defaultEnvironment: string,
): CapResult {
  const admitted = new Set<string>();
  const out: CapResult = { valid: [], rejected: [], admitted: [] };
  for (const v of valid) {
    const environment = v.event.environment ?? defaultEnvironment;
    const key = deploymentKey(environment, v.event.deployment);
    if (known.keys.has(key) || admitted.has(key)) out.valid.push(v);
    else if (known.keys.size + admitted.size < limit) {
      admitted.add(key);
      out.valid.push(v);
    } else
      out.rejected.push({
        index: v.index,
        code: "deployment_limit",
        path: "deployment",
        message:
          `the project has reached its limit of ${limit} deployments; "${v.event.deployment}" ` +
          `(environment "${environment}") would be a new one. Delete unused deployments or ` +
          "raise MAX_DEPLOYMENTS_PER_PROJECT",
      });
  }
  out.admitted = [...admitted];
  return out;
}
