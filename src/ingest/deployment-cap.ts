// Which events would create a deployment past the project's limit, or past the sending key's
// share of it. Pure: the caller supplies the deployments the project already has and how
// many of them the key created. Events of known deployments always pass; new deployments
// are admitted in order of first appearance until either limit.
//
// Why a share per key: ingest keys are public (browsers carry them), so one scraped key
// sending `bot` under env0 … env99 would fill the project's limit and lock every other
// key out of new deployments. A key may create at most `MAX_NEW_DEPLOYMENTS_PER_KEY` (20 by
// default, a fifth of the default project limit): a leaked key takes at most that share,
// and the other keys keep the rest. A key with an `allowed_deployments` list is bounded by
// its list instead (an admin named each entry).
import type { Rejection, ValidEvent } from "./parse-batch";

export const DEFAULT_MAX_DEPLOYMENTS = 100;
export const DEFAULT_MAX_NEW_DEPLOYMENTS_PER_KEY = 20;

/** `environment:slug`, as deployments are keyed within a project. */
export const deploymentKey = (environment: string, slug: string) => `${environment}:${slug}`;

export interface KnownDeployments {
  /** deploymentKey of every deployment the project has. */
  keys: ReadonlySet<string>;
}

/** The sending key's share: how many new deployments it may create, and has created. */
export interface KeyShare {
  limit: number;
  created: number;
}

export interface CapResult {
  valid: ValidEvent[];
  rejected: Rejection[];
  /** New deployments this request may create (their keys). */
  admitted: string[];
}

/** A whole number ≥ 1 from a var, else the default. */
function countOf(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : fallback;
}

/** The limit from the MAX_DEPLOYMENTS_PER_PROJECT var: a whole number ≥ 1, else the default. */
export function deploymentLimitOf(raw: string | undefined): number {
  return countOf(raw, DEFAULT_MAX_DEPLOYMENTS);
}

/** A key's share from MAX_NEW_DEPLOYMENTS_PER_KEY (default 20), never above the project's. */
export function keyShareOf(raw: string | undefined, projectLimit: number): number {
  return Math.min(countOf(raw, DEFAULT_MAX_NEW_DEPLOYMENTS_PER_KEY), projectLimit);
}

function refusal(v: ValidEvent, environment: string, why: string): Rejection {
  return {
    index: v.index,
    code: "deployment_limit",
    path: "deployment",
    message: `${why}; "${v.event.deployment}" (environment "${environment}") would be a new one`,
  };
}

export function capDeployments(
  valid: readonly ValidEvent[],
  known: KnownDeployments,
  limit: number,
  defaultEnvironment: string,
  share: KeyShare = { limit: Number.POSITIVE_INFINITY, created: 0 },
): CapResult {
  const admitted = new Set<string>();
  const out: CapResult = { valid: [], rejected: [], admitted: [] };
  for (const v of valid) {
    const environment = v.event.environment ?? defaultEnvironment;
    const key = deploymentKey(environment, v.event.deployment);
    if (known.keys.has(key) || admitted.has(key)) out.valid.push(v);
    else if (known.keys.size + admitted.size >= limit)
      out.rejected.push(
        refusal(
          v,
          environment,
          `the project has reached its limit of ${limit} deployments. Delete unused ` +
            "deployments or raise MAX_DEPLOYMENTS_PER_PROJECT",
        ),
      );
    else if (share.created + admitted.size >= share.limit)
      out.rejected.push(
        refusal(
          v,
          environment,
          `this API key has created its share of ${share.limit} new deployments. Delete ` +
            "unused ones, list the key's deployments in allowed_deployments, or raise " +
            "MAX_NEW_DEPLOYMENTS_PER_KEY",
        ),
      );
    else {
      admitted.add(key);
      out.valid.push(v);
    }
  }
  out.admitted = [...admitted];
  return out;
}
