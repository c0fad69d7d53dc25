// Incident actions (admin) over HTTP: ack, silence, manual resolve, show or hide. The
// operations live in alerts/incidents/incident-actions.ts, shared with the dashboard.
import type { Context } from "hono";
import {
  acknowledgeIncident,
  type IncidentActor,
  resolveIncident,
  setIncidentPublic,
  silenceIncident,
} from "../../alerts/incidents/incident-actions";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { toIncidentDetail } from "./incident-view";
import { IncidentBody, IncidentParams, SilenceSchema } from "./schema";
import { IncidentVisibilitySchema } from "./update-schema";

/** The caller of a project route, as the incident operations take it. */
export const incidentActorOf = <E extends AppEnv>(
  c: Context<E>,
  projectId: string,
): IncidentActor => ({
  db: c.env.DB,
  who: whoOf(c),
  projectId,
});

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

const resolve = apiRoute({
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
    "Detected incidents are shown by default; `public: false` takes this one off the page, its feed and its JSON. Spend alerts (a budget's, a user-share rule's) are never shown: `public: true` on them answers 409.",
  request: { ...request, body: { content: json(IncidentVisibilitySchema) } },
  responses: answer,
});

export const incidentActions = projectRouter()
  .openapi(ackIncident, async (c) => {
    const by = incidentActorOf(c, c.var.projectId);
    const { row, ...owner } = await acknowledgeIncident(by, c.req.valid("param").id);
    return c.json({ incident: toIncidentDetail(row, owner) }, 200);
  })
  .openapi(silence, async (c) => {
    const body = c.req.valid("json");
    const until = body.until ?? Date.now() + (body.duration_minutes ?? 0) * 60_000;
    const by = incidentActorOf(c, c.var.projectId);
    const { row, ...owner } = await silenceIncident(by, c.req.valid("param").id, until);
    return c.json({ incident: toIncidentDetail(row, owner) }, 200);
  })
  .openapi(patchIncident, async (c) => {
    const by = incidentActorOf(c, c.var.projectId);
    const shown = c.req.valid("json").public;
    const { row, ...owner } = await setIncidentPublic(by, c.req.valid("param").id, shown);
    return c.json({ incident: toIncidentDetail(row, owner) }, 200);
  })
  .openapi(resolve, async (c) => {
    const by = incidentActorOf(c, c.var.projectId);
    const { row, ...owner } = await resolveIncident(by, c.req.valid("param").id);
    return c.json({ incident: toIncidentDetail(row, owner) }, 200);
  });
