// POST /v1/events: the beacon endpoint. Validates per event, queues the good ones,
// answers 202 {accepted, rejected[], ids[]}. Never writes to D1 in the request path.
// All or nothing per accepted event: 202 only when every accepted event is queued;
// otherwise 503 naming exactly the events that were not (see request-ids.ts for how a
// retry stays exactly-once).
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { ProjectEnv } from "../../http/app-types";
import { authenticated, requireScope } from "../../http/auth";
import { mediaTypeOf } from "../../http/content-type";
import { ApiError, fieldIssuesError } from "../../http/errors";
import { documentOnly } from "../../http/openapi/route";
import { newRouter } from "../../http/openapi/router";
import { projectFromQuery } from "../../http/scope-middleware";
import { splitBody } from "../../ingest/parse-batch";
import { idempotentIds, isIdempotencyKey, randomIds } from "../../ingest/request-ids";
import type { z } from "../../zod";
import { type EventsAnswerSchema, sendEvents } from "./ingest-contract";
import { ingestItems } from "./ingest-sequence";

export const MAX_BODY_BYTES = 1024 * 1024;

/** CORS for browser beacons: ingest keys are safe to embed, and no cookies are involved. */
export const ingestCors = cors({
  origin: "*",
  allowMethods: ["POST", "OPTIONS"],
  allowHeaders: ["Authorization", "Content-Type"],
  maxAge: 86_400,
});

/** The 1 MiB request cap shared by every ingest route. */
export const ingestBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError("payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes (1 MiB)`);
  },
});

/** JSON or text/plain (sendBeacon); anything else is refused before reading. */
export function checkJsonContentType(contentType: string | undefined): void {
  const type = mediaTypeOf(contentType, "application/json");
  if (type !== "application/json" && type !== "text/plain") {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type '${type}' is not supported; send application/json or text/plain`,
    );
  }
}

/**
 * `?beacon=1`: the client does not wait for the answer, so its request may be held for
 * others (ingest-contract.ts). Any other value is refused, not read as "waits".
 */
function beaconOf(req: { query(name: string): string | undefined }): boolean {
  const value = req.query("beacon");
  if (value === undefined) return false;
  if (value === "1") return true;
  throw fieldIssuesError(
    [{ path: "beacon", message: 'must be "1" (nobody waits for the answer) or left out' }],
    "query",
  );
}

/** The request's Idempotency-Key (header, or `idempotency_key` query for sendBeacon). */
async function idMakerOf(req: {
  header(name: string): string | undefined;
  query(name: string): string | undefined;
}) {
  const key = req.header("idempotency-key") ?? req.query("idempotency_key");
  if (key === undefined) return randomIds;
  if (!isIdempotencyKey(key)) {
    throw new ApiError(
      "bad_request",
      "Idempotency-Key must be 1–128 printable ASCII characters (no spaces)",
    );
  }
  return idempotentIds(key);
}

/**
 * A router for one ingest route at its mount path: CORS (preflight included) for that path
 * only, not for routes mounted below it; the size cap, then a header or `?key=` with the
 * ingest scope, and the key's project; the route in the document, without validators.
 */
export function ingestRouter(route: Parameters<typeof documentOnly>[1]) {
  const router = newRouter<ProjectEnv>();
  router.use(
    "/",
    ingestCors,
    ingestBodyLimit,
    authenticated({ allowQueryKey: true }),
    requireScope("ingest"),
    projectFromQuery,
  );
  documentOnly(router, route);
  return router;
}

export const events = ingestRouter(sendEvents);
events.post("/", async (c) => {
  checkJsonContentType(c.req.header("content-type"));
  const receivedAt = Date.now();
  const shape = splitBody(await c.req.text());
  if (!shape.ok) throw new ApiError(shape.code, shape.message);
  const newId = await idMakerOf(c.req);
  const beacon = beaconOf(c.req);
  const { valid, rejected, normalized, failed, piiAnswer } = await ingestItems(
    c,
    shape.items,
    receivedAt,
    newId,
    beacon,
  );
  if (valid.length === 0) {
    throw new ApiError("validation_failed", "No valid events in the request", {
      accepted: 0,
      rejected,
    });
  }
  const ids = normalized.map((e) => e.id);
  if (failed.length > 0) {
    const notQueued = failed.map((i) => ({ index: valid[i]?.index ?? -1, id: ids[i] ?? "" }));
    throw new ApiError(
      "unavailable",
      `${failed.length} of ${normalized.length} valid events could not be queued ` +
        "(details.not_queued); the others were. Resend only those, with the ids given, " +
        "or repeat the request with the same Idempotency-Key: nothing is counted twice",
      { accepted: normalized.length - failed.length, rejected, not_queued: notQueued, ids },
      { "Retry-After": "1" },
    );
  }
  const answer = { accepted: normalized.length, rejected, ids, ...piiAnswer };
  return c.json(answer satisfies z.infer<typeof EventsAnswerSchema>, 202);
});
