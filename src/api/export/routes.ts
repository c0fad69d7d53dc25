// GET /v1/events/export (read scope): a deployment's archived raw events of [from, to)
// as NDJSON, one event per line, ordered by hour and then write order, streamed from R2
// object by object (src/archive/export-stream.ts). gzip when the client accepts it.
// Accepted events wait in their Durable Object's archive outbox for up to a few minutes;
// the export has the objects write them first, so it holds every event accepted so far.
import { exportStream } from "../../archive/export-stream";
import { acceptsGzip } from "../../http/accept-encoding";
import { ApiError } from "../../http/errors";
import { apiRoute } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { deploymentIn } from "../../http/scope-middleware";
import { ProjectQuery } from "../../http/shared-params";
import { SlugSchema } from "../../ingest/event-schema";
import { MAX_ID_CHARS } from "../../ingest/field-bounds";
import { syntheticMonitorOf } from "../../monitor/monitor-id";
import { DAY_MS } from "../../shared/time";
import { z } from "../../zod";

/** The longest range one request exports; larger exports are split by the client. */
export const EXPORT_MAX_SPAN_DAYS = 31;

const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** Epoch ms, an ISO-8601 date-time with an offset, or a date (its UTC midnight). */
const QueryTime = z.string().transform((s, ctx) => {
  const ms = /^\d{1,15}$/.test(s)
    ? Number(s)
    : isoDateTime.safeParse(s).success || isoDate.safeParse(s).success
      ? Date.parse(s)
      : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: "custom",
      message: "must be epoch milliseconds or ISO-8601 (2026-12-02, 2026-12-02T14:00:00Z)",
    });
  }
  return ms;
});

/** At most this many ids in `ids=`: an incident lists 10 examples. */
export const EXPORT_MAX_IDS = 100;

const IdList = z
  .string()
  .transform((s) => s.split(","))
  .pipe(
    z
      .array(z.string().min(1, "empty id").max(MAX_ID_CHARS))
      .min(1)
      .max(EXPORT_MAX_IDS, `at most ${EXPORT_MAX_IDS} ids`),
  );

export const ExportQuery = ProjectQuery.extend({
  deployment: SlugSchema.meta({ description: "The deployment's slug" }),
  environment: SlugSchema.default("production"),
  from: QueryTime.meta({
    description: "Inclusive: epoch ms, an ISO-8601 time with an offset, or a date (UTC midnight)",
  }),
  to: QueryTime.optional().meta({
    description: "Exclusive, same forms; default now; at most 31 days after from",
  }),
  ids: IdList.optional().meta({
    description:
      "Comma-separated event ids (at most 100): only those events of the range, e.g. an incident's examples",
  }),
}).transform((q, ctx) => {
  const to = q.to ?? Date.now();
  if (to <= q.from) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  } else if (to - q.from > EXPORT_MAX_SPAN_DAYS * DAY_MS) {
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `at most ${EXPORT_MAX_SPAN_DAYS} days after from; split larger exports`,
    });
  }
  return { ...q, to };
});

/** Has the deployment's objects write their waiting events to R2 (503 if one cannot). */
async function flushPending(env: Env, deploymentId: string): Promise<void> {
  const monitors = [deploymentId];
  // Probe runs are counted by a sibling, which exists only once the deployment had probes
  // (asking another would create it).
  const probed = await env.DB.prepare("SELECT 1 FROM probes WHERE deployment_id = ? LIMIT 1")
    .bind(deploymentId)
    .first();
  if (probed) monitors.push(syntheticMonitorOf(deploymentId));
  try {
    await Promise.all(monitors.map((id) => env.DEPLOYMENT_MONITOR.getByName(id).flushArchive()));
  } catch (error) {
    console.error("flushing the archive before an export failed", deploymentId, error);
    throw new ApiError("unavailable", "The archive could not be brought up to date; retry");
  }
}

/** One line of the answer, as documented (the stored event has more fields). */
const ExportLineSchema = z
  .looseObject({
    type: z.enum(["interaction", "feedback", "eval"]),
    id: z.string(),
    deployment: z.string(),
    environment: z.string(),
    ts: z.number().int().meta({ description: "Epoch ms" }),
    received_at: z.number().int().meta({ description: "Epoch ms the API accepted it" }),
  })
  .meta({
    id: "ExportedEvent",
    description:
      "One NDJSON line: the normalised event as stored (user and session hashed) plus received_at",
  });

const exportEvents = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  errors: [404, 503],
  tags: ["Events"],
  summary: "Export a deployment's archived events of [from, to) as NDJSON",
  description:
    "Streams one event per line, ordered by hour then write order, object by object from the " +
    "archive; gzip with `Accept-Encoding: gzip`. For more than 31 days, ask for consecutive " +
    "ranges. 503 when the deployment's waiting events could not be archived first.",
  request: { query: ExportQuery },
  responses: {
    200: {
      description: "NDJSON: one JSON object (an ExportedEvent) per line, each line ending in \\n",
      content: { "application/x-ndjson": { schema: ExportLineSchema } },
    },
  },
});

/**
 * NOTE: @hono/zod-openapi types the answer of a media type that looks like JSON but is not
 * `application/json` (`application/x-ndjson`) as `never`, so the streamed Response is cast.
 */
const ndjsonAnswer = (response: Response) => response as never;

/** GET /v1/events/export. */
export const eventExport = projectRouter().openapi(exportEvents, async (c) => {
  const q = c.req.valid("query");
  const row = await deploymentIn(c.env.DB, c.var.projectId, q.environment, q.deployment);
  await flushPending(c.env, row.id);
  const ndjson = exportStream(
    c.env.ARCHIVE,
    { projectId: row.projectId, environment: row.environment, slug: row.slug },
    { from: q.from, to: q.to, ...(q.ids ? { ids: new Set(q.ids) } : {}) },
  );
  const headers = new Headers({
    "content-type": "application/x-ndjson; charset=utf-8",
    "cache-control": "no-store",
    vary: "Accept-Encoding",
  });
  if (!acceptsGzip(c.req.header("accept-encoding"))) {
    return ndjsonAnswer(new Response(ndjson, { headers }));
  }
  headers.set("content-encoding", "gzip");
  // NOTE: "manual": the body is already gzip; the runtime must not encode it again.
  return ndjsonAnswer(
    new Response(ndjson.pipeThrough(new CompressionStream("gzip")), {
      headers,
      encodeBody: "manual",
    }),
  );
});
