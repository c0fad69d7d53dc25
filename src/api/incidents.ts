// /v1/incidents: list (with filters) and get a project's incidents, and their delivery log.
// Rows left "inactive" (a pending episode that cleared without firing) are never shown.
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { RuleIdSchema } from "../alerts/rules/rule-schema";
import { deliveriesTable, deploymentsTable, incidentsTable } from "../db/schema";
import { SlugSchema } from "../ingest/event-schema";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { projectOf, requireAuth } from "./auth";
import { incidentActions } from "./incident-actions";
import { findIncident, incidentDetail, incidentView, LISTED_STATUSES } from "./incident-view";
import { ProjectQuery } from "./shared-params";
import { validate } from "./validate";

const StatusList = z
  .string()
  .transform((s) => s.split(",").map((part) => part.trim()))
  .pipe(z.array(z.enum(LISTED_STATUSES)).min(1));

const ListQuery = z.strictObject({
  status: StatusList.optional(),
  deployment: SlugSchema.optional(),
  environment: SlugSchema.optional(),
  rule: RuleIdSchema.optional(),
  /** Incidents that started at or after this time (epoch ms). */
  since: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  project: z.string().optional(),
});
const IdParam = z.object({ id: z.string().min(1).max(64) });

/** The stored payload is the JSON body as sent; shown parsed when it is JSON. */
function parsedPayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

export const incidents = new Hono<AppEnv>()
  .get("/", requireAuth({ scope: "read" }), validate("query", ListQuery), async (c) => {
    const q = c.req.valid("query");
    const projectId = projectOf(c, q.project);
    const rows = await drizzle(c.env.DB)
      .select({ incident: incidentsTable, deployment: deploymentsTable })
      .from(incidentsTable)
      .innerJoin(deploymentsTable, eq(deploymentsTable.id, incidentsTable.deploymentId))
      .where(
        and(
          eq(incidentsTable.projectId, projectId),
          inArray(incidentsTable.status, q.status ?? [...LISTED_STATUSES]),
          q.deployment === undefined ? undefined : eq(deploymentsTable.slug, q.deployment),
          q.environment === undefined ? undefined : eq(deploymentsTable.environment, q.environment),
          q.rule === undefined ? undefined : eq(incidentsTable.ruleId, q.rule),
          q.since === undefined ? undefined : gte(incidentsTable.startedAt, q.since),
        ),
      )
      .orderBy(desc(incidentsTable.startedAt), desc(incidentsTable.id))
      .limit(q.limit);
    return c.json({ incidents: rows.map((r) => incidentView(r.incident, r.deployment)) });
  })
  .get(
    "/:id",
    requireAuth({ scope: "read" }),
    validate("param", IdParam),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const found = await findIncident(c.env.DB, projectId, c.req.valid("param").id);
      return c.json({ incident: incidentDetail(found.incident, found.deployment) });
    },
  )
  .get(
    "/:id/deliveries",
    requireAuth({ scope: "read" }),
    validate("param", IdParam),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const { incident } = await findIncident(c.env.DB, projectId, c.req.valid("param").id);
      const rows = await drizzle(c.env.DB)
        .select()
        .from(deliveriesTable)
        .where(
          and(
            eq(deliveriesTable.projectId, projectId),
            sql`EXISTS (SELECT 1 FROM json_each(${deliveriesTable.incidentIds}) WHERE value = ${incident.id})`,
          ),
        )
        .orderBy(desc(deliveriesTable.createdAt), desc(deliveriesTable.id));
      return c.json({
        deliveries: rows.map((d) => ({
          id: d.id,
          channel_id: d.channelId,
          incident_ids: d.incidentIds,
          status: d.status,
          attempts: d.attempts,
          last_status_code: d.lastStatusCode,
          last_error: d.lastError,
          created_at: d.createdAt,
          updated_at: d.updatedAt,
          payload: parsedPayload(d.payload),
        })),
      });
    },
  )
  .route("/", incidentActions);
