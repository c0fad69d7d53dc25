// GET /v1/incidents (with filters), GET /v1/incidents/{id} and its delivery log (read scope).
// Rows left "inactive" (a pending episode that cleared without firing) are never shown.
import { and, desc, eq, gte, inArray, isNotNull, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { findIncident } from "../../alerts/incidents/incident-actions";
import { incidentExamples } from "../../alerts/incidents/incident-examples";
import { budgetColumns, budgetOwnsIncident } from "../../alerts/incidents/incident-owner";
import { budgetsTable, deliveriesTable, deploymentsTable, incidentsTable } from "../../db/schema";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";
import { toIncident, toIncidentDetail } from "./incident-view";
import {
  DeliverySchema,
  IncidentBody,
  IncidentParams,
  IncidentSchema,
  LISTED_STATUSES,
  ListIncidentsQuery,
} from "./schema";

/** The stored payload is the JSON body as sent; shown parsed when it is JSON. */
function parsedPayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

const tags = ["Incidents"];

const listIncidents = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's incidents, newest first",
  request: { query: ListIncidentsQuery },
  responses: {
    200: {
      description: "The incidents",
      content: json(z.object({ incidents: z.array(IncidentSchema) })),
    },
  },
});

const getIncident = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get an incident with its last check and state",
  request: { params: IncidentParams, query: ProjectQuery },
  responses: { 200: { description: "The incident", content: json(IncidentBody) } },
});

const listDeliveries = apiRoute({
  method: "get",
  path: "/{id}/deliveries",
  access: "read",
  errors: [404],
  tags,
  summary: "The notifications that carried an incident, newest first",
  request: { params: IncidentParams, query: ProjectQuery },
  responses: {
    200: {
      description: "The deliveries",
      content: json(z.object({ deliveries: z.array(DeliverySchema) })),
    },
  },
});

export const incidents = projectRouter()
  .openapi(listIncidents, async (c) => {
    const q = c.req.valid("query");
    const rows = await drizzle(c.env.DB)
      .select({
        incident: incidentsTable,
        deployment: deploymentsTable,
        budget: budgetColumns,
      })
      .from(incidentsTable)
      .leftJoin(deploymentsTable, eq(deploymentsTable.id, incidentsTable.deploymentId))
      .leftJoin(budgetsTable, budgetOwnsIncident)
      .where(
        and(
          eq(incidentsTable.projectId, c.var.projectId),
          or(isNotNull(deploymentsTable.id), isNotNull(budgetsTable.id)),
          inArray(incidentsTable.status, q.status ?? [...LISTED_STATUSES]),
          q.deployment === undefined ? undefined : eq(deploymentsTable.slug, q.deployment),
          q.environment === undefined ? undefined : eq(deploymentsTable.environment, q.environment),
          q.rule === undefined ? undefined : eq(incidentsTable.ruleId, q.rule),
          q.since === undefined ? undefined : gte(incidentsTable.startedAt, q.since),
        ),
      )
      .orderBy(desc(incidentsTable.startedAt), desc(incidentsTable.id))
      .limit(q.limit);
    return c.json(
      { incidents: rows.map((r) => toIncident(r.incident, r.deployment, r.budget)) },
      200,
    );
  })
  .openapi(getIncident, async (c) => {
    const found = await findIncident(c.env.DB, c.var.projectId, c.req.valid("param").id);
    const examples = await incidentExamples(c.env, found.incident, found.deployment, Date.now());
    return c.json({ incident: toIncidentDetail(found.incident, found, examples) }, 200);
  })
  .openapi(listDeliveries, async (c) => {
    const projectId = c.var.projectId;
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
    const deliveries = rows.map((d) =>
      fromRow(DeliverySchema, { ...d, payload: parsedPayload(d.payload) }),
    );
    return c.json({ deliveries }, 200);
  });
