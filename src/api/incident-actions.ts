// Incident actions (admin): ack, silence, manual resolve. Each writes the incident-machine
// state JSON and the matching columns together, so the next evaluation tick honours it.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { Hono } from "hono";
import type { IncidentState } from "../alerts/incidents/incident-machine";
import { incidentsTable } from "../db/schema";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { audit } from "./audit";
import { projectOf, requireAuth } from "./auth";
import { ApiError } from "./errors";
import { findIncident, type IncidentRow, incidentDetail } from "./incident-view";
import { ProjectQuery } from "./shared-params";
import { validate } from "./validate";

const MAX_SILENCE_MINUTES = 7 * 24 * 60;
const IdParam = z.object({ id: z.string().min(1).max(64) });

const SilenceSchema = z
  .strictObject({
    duration_minutes: z.number().int().min(1).max(MAX_SILENCE_MINUTES).optional(),
    /** Epoch ms; in the future, at most 7 days ahead. */
    until: z.number().int().optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.duration_minutes === undefined) === (body.until === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["duration_minutes"],
        message: "give exactly one of duration_minutes (1..10080) or until (epoch ms)",
      });
    }
    const now = Date.now();
    if (
      body.until !== undefined &&
      (body.until <= now || body.until > now + MAX_SILENCE_MINUTES * 60_000)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["until"],
        message: "must be in the future and at most 7 days ahead (epoch ms)",
      });
    }
  });

const auditView = (row: IncidentRow) => ({
  status: row.status,
  acked_at: row.ackedAt,
  silenced_until: row.silencedUntil,
  resolved_at: row.resolvedAt,
});

/**
 * Writes the change only if the row is as we read it: the evaluator rewrites the whole
 * state every minute, so a concurrent tick makes this answer 409 rather than lose an update.
 */
async function update(
  c: Context<AppEnv>,
  projectId: string,
  action: string,
  before: IncidentRow,
  change: Partial<IncidentState> & Partial<Pick<IncidentRow, "status" | "resolvedAt">>,
) {
  const { status, resolvedAt, ...stateChange } = change;
  const state = { ...before.state, ...stateChange, ...(status ? { status } : {}) };
  const [after] = await drizzle(c.env.DB)
    .update(incidentsTable)
    .set({
      state,
      ...(status ? { status } : {}),
      ...(resolvedAt === undefined ? {} : { resolvedAt }),
      ...(stateChange.acked_at === undefined ? {} : { ackedAt: stateChange.acked_at }),
      ...(stateChange.silenced_until === undefined
        ? {}
        : { silencedUntil: stateChange.silenced_until }),
      updatedAt: Date.now(),
    })
    .where(and(eq(incidentsTable.id, before.id), eq(incidentsTable.updatedAt, before.updatedAt)))
    .returning();
  if (!after) throw new ApiError("conflict", "The incident changed meanwhile; try again");
  await audit(c, projectId, action, before.id, auditView(before), auditView(after));
  return after;
}

function requireOpen(row: IncidentRow, verb: string): void {
  if (row.status === "resolved") {
    throw new ApiError("conflict", `Incident '${row.id}' is resolved; there is nothing to ${verb}`);
  }
}

/** Acknowledges an open incident (the first ack's time is kept). Used by the dashboard too. */
export async function acknowledgeIncident(c: Context<AppEnv>, projectId: string, id: string) {
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
export async function silenceIncident(
  c: Context<AppEnv>,
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

const admin = requireAuth({ scope: "admin" });

export const incidentActions = new Hono<AppEnv>()
  .post(
    "/:id/ack",
    admin,
    validate("param", IdParam),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const { row, deployment } = await acknowledgeIncident(c, projectId, c.req.valid("param").id);
      return c.json({ incident: incidentDetail(row, deployment) });
    },
  )
  .post(
    "/:id/silence",
    admin,
    validate("param", IdParam),
    validate("query", ProjectQuery),
    validate("json", SilenceSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const body = c.req.valid("json");
      const until = body.until ?? Date.now() + (body.duration_minutes ?? 0) * 60_000;
      const { row, deployment } = await silenceIncident(
        c,
        projectId,
        c.req.valid("param").id,
        until,
      );
      return c.json({ incident: incidentDetail(row, deployment) });
    },
  )
  .post(
    "/:id/resolve",
    admin,
    validate("param", IdParam),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const found = await findIncident(c.env.DB, projectId, c.req.valid("param").id);
      requireOpen(found.incident, "resolve");
      const now = Date.now();
      // No notification is sent; if the rule still breaches, the next tick opens a new incident.
      const row = await update(c, projectId, "incident.resolve", found.incident, {
        status: "resolved",
        resolved_at: now,
        resolvedAt: now,
      });
      return c.json({ incident: incidentDetail(row, found.deployment) });
    },
  );
