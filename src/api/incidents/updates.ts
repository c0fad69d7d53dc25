// Incident updates written by people: POST /v1/incidents/{id}/updates (admin) and GET (read).
// An update is stored with its audit entry and the incident's change in one D1 batch, all
// guarded by "the incident is as read", so a concurrent evaluation tick makes it answer 409.
// A `resolved` update on an open incident resolves it by hand, as POST …/resolve does.
import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { incidentsTable, incidentUpdatesTable } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { actorOf, auditEntryIf } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";
import { incidentSet } from "./actions";
import { findIncident, toIncidentDetail } from "./find-incident";
import { IncidentDetailSchema, IncidentParams } from "./schema";
import { IncidentUpdateSchema, NewIncidentUpdateSchema } from "./update-schema";

type UpdateRow = typeof incidentUpdatesTable.$inferSelect;
const toUpdate = (row: UpdateRow) => fromRow(IncidentUpdateSchema, { ...row, text: row.body });

/** Writes a status update on an open incident (409 on a resolved one). Used by the dashboard. */
export async function postIncidentUpdate<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  id: string,
  input: z.output<typeof NewIncidentUpdateSchema>,
) {
  const found = await findIncident(c.env.DB, projectId, id);
  const before = found.incident;
  if (before.status === "resolved") {
    throw new ApiError(
      "conflict",
      `Incident '${id}' is resolved; updates are only written on open incidents`,
    );
  }
  const now = Date.now();
  const update: UpdateRow = {
    id: newRecordId("upd"),
    projectId,
    incidentId: id,
    status: input.status,
    body: input.text,
    author: actorOf(c),
    createdAt: now,
  };
  const set = incidentSet(
    before,
    input.status === "resolved" ? { status: "resolved", resolved_at: now, resolvedAt: now } : {},
  );
  const db = drizzle(c.env.DB);
  const asRead = and(eq(incidentsTable.id, id), eq(incidentsTable.updatedAt, before.updatedAt));
  const unchanged = sql`EXISTS (SELECT 1 FROM ${incidentsTable} WHERE ${asRead})`;
  const [, , [after]] = await db.batch([
    auditEntryIf(c, unchanged, projectId, "incident.update", id, null, {
      status: update.status,
      text: update.body,
      incident_status: set.status ?? before.status,
    }),
    db
      .insert(incidentUpdatesTable)
      .select(
        sql`SELECT ${update.id}, ${projectId}, ${id}, ${update.status}, ${update.body}, ${update.author}, ${now} WHERE ${unchanged}`,
      ),
    db.update(incidentsTable).set(set).where(asRead).returning(),
  ]);
  if (!after) throw new ApiError("conflict", "The incident changed meanwhile; try again");
  return { update, row: after, deployment: found.deployment };
}

const tags = ["Incidents"];
const request = { params: IncidentParams, query: ProjectQuery };

const createUpdate = apiRoute({
  method: "post",
  path: "/{id}/updates",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Write an update on an open incident",
  description:
    "Shown on the incident's timeline on the public status page, in its Atom feed and as a Statuspage v2 incident update. `resolved` resolves the incident by hand (no notification; if the rule still breaches, the next evaluation opens a new incident). A resolved incident takes no more updates (409).",
  request: { ...request, body: { content: json(NewIncidentUpdateSchema) } },
  responses: {
    201: {
      description: "The update, and the incident as it now is",
      content: json(z.object({ update: IncidentUpdateSchema, incident: IncidentDetailSchema })),
    },
  },
});

const listUpdates = apiRoute({
  method: "get",
  path: "/{id}/updates",
  access: "read",
  errors: [404],
  tags,
  summary: "The updates written on an incident, newest first",
  request,
  responses: {
    200: {
      description: "The updates",
      content: json(z.object({ updates: z.array(IncidentUpdateSchema) })),
    },
  },
});

export const incidentUpdates = projectRouter()
  .openapi(createUpdate, async (c) => {
    const id = c.req.valid("param").id;
    const { update, row, deployment } = await postIncidentUpdate(
      c,
      c.var.projectId,
      id,
      c.req.valid("json"),
    );
    return c.json({ update: toUpdate(update), incident: toIncidentDetail(row, deployment) }, 201);
  })
  .openapi(listUpdates, async (c) => {
    const { incident } = await findIncident(c.env.DB, c.var.projectId, c.req.valid("param").id);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(incidentUpdatesTable)
      .where(eq(incidentUpdatesTable.incidentId, incident.id))
      .orderBy(desc(incidentUpdatesTable.createdAt), desc(incidentUpdatesTable.id));
    return c.json({ updates: rows.map(toUpdate) }, 200);
  });
