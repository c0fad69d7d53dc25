// Incident actions (admin): ack, silence, manual resolve. Each writes the incident-machine
// state JSON and the matching columns together, so the next evaluation tick honours it, and
// its audit entry in the same D1 batch.
import { and, eq, exists } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { IncidentState } from "../../alerts/incidents/incident-machine";
import { incidentsTable } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { auditEntryIf } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { findIncident, type IncidentRow, toIncidentDetail } from "./find-incident";
import { IncidentBody, IncidentParams, SilenceSchema } from "./schema";
import { IncidentVisibilitySchema } from "./update-schema";

const auditView = (
  row: Pick<IncidentRow, "status" | "ackedAt" | "silencedUntil" | "resolvedAt">,
) => ({
  status: row.status,
  acked_at: row.ackedAt,
  silenced_until: row.silencedUntil,
  resolved_at: row.resolvedAt,
});

/**
 * Writes the change only if the row is as we read it: the evaluator rewrites the whole
 * state every minute, so a concurrent tick makes this answer 409 rather than lose an update.
 * The audit entry carries the same guard and runs first in the batch, so it is written
 * exactly when the change is.
 */
export type IncidentChange = Partial<IncidentState> &
  Partial<Pick<IncidentRow, "status" | "resolvedAt" | "public">>;

/** The columns a change writes: the state JSON and the columns that mirror it. */
export function incidentSet(before: IncidentRow, change: IncidentChange) {
  const { status, resolvedAt, public: shown, ...stateChange } = change;
  return {
    state: { ...before.state, ...stateChange, ...(status ? { status } : {}) },
    ...(status ? { status } : {}),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    ...(shown === undefined ? {} : { public: shown }),
    ...(stateChange.acked_at === undefined ? {} : { ackedAt: stateChange.acked_at }),
    ...(stateChange.silenced_until === undefined
      ? {}
      : { silencedUntil: stateChange.silenced_until }),
    updatedAt: Date.now(),
  };
}

async function update<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  action: string,
  before: IncidentRow,
  change: IncidentChange,
  view: (row: IncidentRow) => unknown = auditView,
): Promise<IncidentRow> {
  const set = incidentSet(before, change);
  const db = drizzle(c.env.DB);
  const asRead = and(
    eq(incidentsTable.id, before.id),
    eq(incidentsTable.updatedAt, before.updatedAt),
  );
  const unchanged = exists(db.select({ id: incidentsTable.id }).from(incidentsTable).where(asRead));
  const [, [after]] = await db.batch([
    auditEntryIf(
      c,
      unchanged,
      projectId,
      action,
      before.id,
      view(before),
      view({ ...before, ...set }),
    ),
    db.update(incidentsTable).set(set).where(asRead).returning(),
  ]);
  if (!after) throw new ApiError("conflict", "The incident changed meanwhile; try again");
  return after;
}

/** Shows or hides an incident on the public status page. */
export async function setIncidentPublic<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  id: string,
  shown: boolean,
) {
  const found = await findIncident(c.env.DB, projectId, id);
  const row =
    found.incident.public === shown
      ? found.incident
      : await update(
          c,
          projectId,
          "incident.visibility",
          found.incident,
          { public: shown },
          (r) => ({
            public: r.public,
          }),
        );
  return { row, deployment: found.deployment };
}

function requireOpen(row: IncidentRow, verb: string): void {
  if (row.status === "resolved") {
    throw new ApiError("conflict", `Incident '${row.id}' is resolved; there is nothing to ${verb}`);
  }
}

/** Acknowledges an open incident (the first ack's time is kept). Used by the dashboard too. */
export async function acknowledgeIncident<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  id: string,
) {
  const found = await findIncident(c.env.DB, projectId, id);
  requireOpen(found.incident, "acknowledge");
  // Acking twice keeps the first time; the machine clears acks when a new episode starts.
  const row =
    found.incident.ackedAt === null
      ? await update(c, projectId, "incident.ack", found.incident, { acked_at: Date.now() })
      : found.incident;
  return { row, deployment: found.deployment };
}

/** Silences an incident's (deployment, rule) until `until`. Used by the dashboard too. */
export async function silenceIncident<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  id: string,
  until: number,
) {
  const found = await findIncident(c.env.DB, projectId, id);
  // The silence belongs to the (deployment, rule) state, so it also covers a new episode.
  const row = await update(c, projectId, "incident.silence", found.incident, {
    silenced_until: until,
  });
  return { row, deployment: found.deployment };
}

const tags = ["Incidents"];
const request = { params: IncidentParams, query: ProjectQuery };
const answer = { 200: { description: "The incident as it now is", content: json(IncidentBody) } };

const ackIncident = apiRoute({
  method: "post",
  path: "/{id}/ack",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Acknowledge an open incident",
  description:
    "Stops repeat notifications for this episode; acknowledging twice keeps the first time.",
  request,
  responses: answer,
});

const silence = apiRoute({
  method: "post",
  path: "/{id}/silence",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Silence an incident's deployment and rule",
  description: "No notifications until the silence ends, also for a new episode of the same rule.",
  request: { ...request, body: { content: json(SilenceSchema) } },
  responses: answer,
});

const resolveIncident = apiRoute({
  method: "post",
  path: "/{id}/resolve",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Resolve an incident by hand",
  description:
    "No notification is sent; if the rule still breaches, the next evaluation opens a new incident.",
  request,
  responses: answer,
});

const patchIncident = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Show or hide an incident on the public status page",
  description:
    "Detected incidents are shown by default; `public: false` takes this one off the page, its feed and its JSON.",
  request: { ...request, body: { content: json(IncidentVisibilitySchema) } },
  responses: answer,
});

export const incidentActions = projectRouter()
  .openapi(ackIncident, async (c) => {
    const { row, deployment } = await acknowledgeIncident(
      c,
      c.var.projectId,
      c.req.valid("param").id,
    );
    return c.json({ incident: toIncidentDetail(row, deployment) }, 200);
  })
  .openapi(silence, async (c) => {
    const body = c.req.valid("json");
    const until = body.until ?? Date.now() + (body.duration_minutes ?? 0) * 60_000;
    const id = c.req.valid("param").id;
    const { row, deployment } = await silenceIncident(c, c.var.projectId, id, until);
    return c.json({ incident: toIncidentDetail(row, deployment) }, 200);
  })
  .openapi(patchIncident, async (c) => {
    const id = c.req.valid("param").id;
    const shown = c.req.valid("json").public;
    const { row, deployment } = await setIncidentPublic(c, c.var.projectId, id, shown);
    return c.json({ incident: toIncidentDetail(row, deployment) }, 200);
  })
  .openapi(resolveIncident, async (c) => {
    const projectId = c.var.projectId;
    const found = await findIncident(c.env.DB, projectId, c.req.valid("param").id);
    requireOpen(found.incident, "resolve");
    const now = Date.now();
    const row = await update(c, projectId, "incident.resolve", found.incident, {
      status: "resolved",
      resolved_at: now,
      resolvedAt: now,
    });
    return c.json({ incident: toIncidentDetail(row, found.deployment) }, 200);
  });
