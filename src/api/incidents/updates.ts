// Incident updates written by people over HTTP: POST /v1/incidents/{id}/updates (admin) and
// GET (read). The operation lives in alerts/incidents/incident-updates.ts, shared with the
// dashboard's form.
import {
  type IncidentUpdateRow,
  incidentUpdatesOf,
  postIncidentUpdate,
} from "../../alerts/incidents/incident-updates";
import { NewIncidentUpdateSchema } from "../../alerts/incidents/update-text";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";
import { incidentActorOf } from "./actions";
import { toIncidentDetail } from "./incident-view";
import { IncidentDetailSchema, IncidentParams } from "./schema";
import { IncidentUpdateSchema } from "./update-schema";

const toUpdate = (row: IncidentUpdateRow) =>
  fromRow(IncidentUpdateSchema, { ...row, text: row.body });

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
    const by = incidentActorOf(c, c.var.projectId);
    const { update, row, ...owner } = await postIncidentUpdate(
      by,
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json({ update: toUpdate(update), incident: toIncidentDetail(row, owner) }, 201);
  })
  .openapi(listUpdates, async (c) => {
    const rows = await incidentUpdatesOf(c.env.DB, c.var.projectId, c.req.valid("param").id);
    return c.json({ updates: rows.map(toUpdate) }, 200);
  });
