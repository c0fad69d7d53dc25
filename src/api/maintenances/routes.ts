// /v1/maintenances: scheduled maintenance windows (admin to change, read to list). The
// operations live in alerts/maintenance/maintenances.ts; each writes its audit entry in the
// same D1 batch.
import type { Context } from "hono";
import {
  MaintenanceChangeSchema,
  NewMaintenanceSchema,
  phaseAt,
} from "../../alerts/maintenance/maintenance-window";
import {
  changeMaintenance,
  createMaintenance,
  deleteMaintenance,
  findMaintenance,
  type MaintenanceActor,
  type MaintenanceRow,
  maintenancesSince,
  maintenanceView,
} from "../../alerts/maintenance/maintenances";
import type { ProjectEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { DAY_MS } from "../../shared/time";
import { z } from "../../zod";
import { MaintenanceBody, MaintenanceParams, MaintenanceSchema } from "./schema";

const toMaintenance = (row: MaintenanceRow) =>
  fromRow(MaintenanceSchema, {
    ...maintenanceView(row),
    status: phaseAt({ starts_at: row.startsAt, ends_at: row.endsAt }, Date.now()),
  });

const actorOf = (c: Context<ProjectEnv>): MaintenanceActor => ({
  db: c.env.DB,
  who: whoOf(c),
  projectId: c.var.projectId,
});

const tags = ["Maintenance"];
const request = { params: MaintenanceParams, query: ProjectQuery };

const listMaintenances = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "The project's maintenance windows that have not ended, and those of the last 90 days",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The windows, earliest start first",
      content: json(z.object({ maintenances: z.array(MaintenanceSchema) })),
    },
  },
});

const createWindow = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  errors: [409],
  tags,
  summary: "Announce a maintenance window",
  description:
    "Shown on the status page ahead of time as scheduled maintenance and while it runs as " +
    "under maintenance; the deployments it names send no alerts during it (incidents are " +
    "still recorded, marked as in maintenance). A window ends after it starts and lasts at " +
    "most 7 days; one that has already ended, or a 51st window not yet ended, is a 409.",
  request: { query: ProjectQuery, body: { content: json(NewMaintenanceSchema) } },
  responses: { 201: { description: "The window", content: json(MaintenanceBody) } },
});

const getWindow = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get a maintenance window",
  request,
  responses: { 200: { description: "The window", content: json(MaintenanceBody) } },
});

const changeWindow = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Change a maintenance window (end it early by setting ends_at)",
  description:
    "A change that would leave the window ending before it starts, or over 7 days, is a 409.",
  request: { ...request, body: { content: json(MaintenanceChangeSchema) } },
  responses: { 200: { description: "The window as it now is", content: json(MaintenanceBody) } },
});

const deleteWindow = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Cancel a maintenance window",
  request,
  responses: {
    200: { description: "Deleted", content: json(z.object({ deleted: z.string() })) },
  },
});

export const maintenances = projectRouter()
  .openapi(listMaintenances, async (c) => {
    const rows = await maintenancesSince(c.env.DB, c.var.projectId, Date.now() - 90 * DAY_MS);
    return c.json({ maintenances: rows.map(toMaintenance) }, 200);
  })
  .openapi(createWindow, async (c) => {
    const row = await createMaintenance(actorOf(c), c.req.valid("json"));
    return c.json({ maintenance: toMaintenance(row) }, 201);
  })
  .openapi(getWindow, async (c) => {
    const row = await findMaintenance(c.env.DB, c.var.projectId, c.req.valid("param").id);
    return c.json({ maintenance: toMaintenance(row) }, 200);
  })
  .openapi(changeWindow, async (c) => {
    const row = await changeMaintenance(actorOf(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json({ maintenance: toMaintenance(row) }, 200);
  })
  .openapi(deleteWindow, async (c) => {
    const row = await deleteMaintenance(actorOf(c), c.req.valid("param").id);
    return c.json({ deleted: row.id }, 200);
  });
