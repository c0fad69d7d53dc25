// The checks both ingest routes (/v1/events, /v1/traces) run on parsed events, in order:
// the v1 contract, the key's own deployment list, then the project's deployment limit and
// the key's share of it.
import type { Context } from "hono";
import type { AppEnv } from "../../http/app-types";
import { restrictDeployments } from "../../http/key-limits";
import { DEFAULT_ENVIRONMENT } from "../../ingest/normalize";
import { validateEvents } from "../../ingest/parse-batch";
import { applyDeploymentLimit } from "./deployment-limit";

export async function admitEvents<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  items: unknown[],
  receivedAt: number,
) {
  const checked = validateEvents(items, receivedAt);
  // The key's own deployment list first: events it refuses never count toward the limit.
  const auth = c.get("auth");
  const allowed = restrictDeployments(checked.valid, auth.allowedDeployments, DEFAULT_ENVIRONMENT);
  return applyDeploymentLimit(
    c.env,
    auth,
    projectId,
    allowed.valid,
    [...checked.rejected, ...allowed.rejected].sort((a, b) => a.index - b.index),
    receivedAt,
  );
}
