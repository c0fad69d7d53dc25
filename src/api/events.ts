// POST /v1/events: the beacon endpoint. Validates per event, queues the good ones,
// answers 202 {accepted, rejected[]}. Never writes to D1 in the request path.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { enqueueEvents } from "../ingest/enqueue";
import { normalizeEvents } from "../ingest/normalize";
import { splitBody, validateEvents } from "../ingest/parse-batch";
import type { AppEnv } from "./app-types";
import { projectOf, requireAuth } from "./auth";
import { ApiError } from "./errors";

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
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" && type !== "text/plain") {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type '${type}' is not supported; send application/json or text/plain`,
    );
  }
}

export const events = new Hono<AppEnv>()
  .use(ingestCors)
  .post("/", ingestBodyLimit, requireAuth({ scope: "ingest", allowQueryKey: true }), async (c) => {
    checkJsonContentType(c.req.header("content-type"));
    const projectId = projectOf(c);
    const receivedAt = Date.now();
    const shape = splitBody(await c.req.text());
    if (!shape.ok) throw new ApiError(shape.code, shape.message);
    const { valid, rejected } = validateEvents(shape.items, receivedAt);
    if (valid.length === 0) {
      throw new ApiError("validation_failed", "No valid events in the request", {
        accepted: 0,
        rejected,
      });
    }
    const overrides = c.get("auth").priceOverrides;
    const normalized = await normalizeEvents(projectId, valid, overrides);
    await enqueueEvents(c.env.TELEMETRY, projectId, receivedAt, normalized);
    return c.json({ accepted: normalized.length, rejected, ids: normalized.map((e) => e.id) }, 202);
  });
