// /v1/budgets: spend budgets per day or calendar month over a project, environment,
// deployment or model. Each change and its audit entry are one D1 batch; every answer
// carries the budget's status now (spent, forecast with interval, run-out instant).
import { and, count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { budgetMonitorId } from "../../alerts/budgets/budget-incidents";
import { budgetsTable, incidentsTable, projectsTable } from "../../db/schema";
import type { ProjectEnv } from "../../http/app-types";
import { auditEntry } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { newRecordId } from "../../shared/ids";
import { type BudgetRow, budgetStatus } from "../../spend/budget-status";
import { z } from "../../zod";
import { toBudget, toBudgetFields, toScopeColumns } from "./budget-row";
import {
  BudgetBody,
  BudgetParams,
  BudgetSchema,
  CreateBudgetSchema,
  MAX_BUDGETS_PER_PROJECT,
  UpdateBudgetSchema,
} from "./schema";

async function findBudget(c: Context<ProjectEnv>, id: string): Promise<BudgetRow> {
  const [row] = await drizzle(c.env.DB)
    .select()
    .from(budgetsTable)
    .where(and(eq(budgetsTable.id, id), eq(budgetsTable.projectId, c.var.projectId)));
  if (!row) throw new ApiError("not_found", `Budget '${id}' not found`);
  return row;
}

async function timeZoneOf(c: Context<ProjectEnv>): Promise<string> {
  const [row] = await drizzle(c.env.DB)
    .select({ timeZone: projectsTable.timeZone })
    .from(projectsTable)
    .where(eq(projectsTable.id, c.var.projectId));
  return row?.timeZone ?? "UTC";
}

async function withStatus(c: Context<ProjectEnv>, row: BudgetRow, timeZone: string) {
  return toBudget(row, await budgetStatus(c.env.DB, row, timeZone, Date.now()));
}

const tags = ["Budgets"];

const listBudgets = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's budgets, each with its spend, forecast and run-out date",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The budgets",
      content: json(z.object({ budgets: z.array(BudgetSchema) })),
    },
  },
});

const createBudget = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  errors: [409],
  tags,
  summary: "Create a budget (USD per day or calendar month) over a scope",
  description:
    "Budgets may overlap (a project budget and a deployment budget, two budgets on one " +
    "model): each is evaluated and alerts on its own. A deployment budget may name a " +
    "deployment that has not sent events yet.",
  request: { query: ProjectQuery, body: { content: json(CreateBudgetSchema) } },
  responses: { 201: { description: "The budget", content: json(BudgetBody) } },
});

const getBudget = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get a budget with its spend, forecast and run-out date",
  request: { params: BudgetParams, query: ProjectQuery },
  responses: { 200: { description: "The budget", content: json(BudgetBody) } },
});

const updateBudget = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Rename a budget or change its amount, period or scope",
  request: {
    params: BudgetParams,
    query: ProjectQuery,
    body: { content: json(UpdateBudgetSchema) },
  },
  responses: { 200: { description: "The budget as it now is", content: json(BudgetBody) } },
});

const deleteBudget = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Delete a budget and its incidents",
  request: { params: BudgetParams, query: ProjectQuery },
  responses: {
    200: {
      description: "The deleted budget's id",
      content: json(z.object({ deleted: z.string() })),
    },
  },
});

export const budgets = projectRouter()
  .openapi(listBudgets, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(budgetsTable)
      .where(eq(budgetsTable.projectId, c.var.projectId))
      .orderBy(budgetsTable.createdAt);
    const timeZone = await timeZoneOf(c);
    return c.json(
      { budgets: await Promise.all(rows.map((row) => withStatus(c, row, timeZone))) },
      200,
    );
  })
  .openapi(createBudget, async (c) => {
    const projectId = c.var.projectId;
    const body = c.req.valid("json");
    const db = drizzle(c.env.DB);
    const [held] = await db
      .select({ n: count() })
      .from(budgetsTable)
      .where(eq(budgetsTable.projectId, projectId));
    if ((held?.n ?? 0) >= MAX_BUDGETS_PER_PROJECT) {
      throw new ApiError(
        "conflict",
        `A project holds at most ${MAX_BUDGETS_PER_PROJECT} budgets: delete one first`,
      );
    }
    const now = Date.now();
    const row: BudgetRow = {
      id: newRecordId("bud"),
      projectId,
      name: body.name ?? defaultName(body.scope, body.period),
      amountUsd: body.amount_usd,
      period: body.period,
      ...toScopeColumns(body.scope),
      createdAt: now,
      updatedAt: now,
    };
    await db.batch([
      db.insert(budgetsTable).values(row),
      auditEntry(c, projectId, "budget.create", row.id, null, toBudgetFields(row)),
    ]);
    return c.json({ budget: await withStatus(c, row, await timeZoneOf(c)) }, 201);
  })
  .openapi(getBudget, async (c) => {
    const row = await findBudget(c, c.req.valid("param").id);
    return c.json({ budget: await withStatus(c, row, await timeZoneOf(c)) }, 200);
  })
  .openapi(updateBudget, async (c) => {
    const before = await findBudget(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    const after: BudgetRow = {
      ...before,
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.amount_usd === undefined ? {} : { amountUsd: body.amount_usd }),
      ...(body.period === undefined ? {} : { period: body.period }),
      ...(body.scope === undefined ? {} : toScopeColumns(body.scope)),
      updatedAt: Date.now(),
    };
    const db = drizzle(c.env.DB);
    await db.batch([
      db.update(budgetsTable).set(after).where(eq(budgetsTable.id, before.id)),
      auditEntry(
        c,
        before.projectId,
        "budget.update",
        before.id,
        toBudgetFields(before),
        toBudgetFields(after),
      ),
    ]);
    return c.json({ budget: await withStatus(c, after, await timeZoneOf(c)) }, 200);
  })
  .openapi(deleteBudget, async (c) => {
    const before = await findBudget(c, c.req.valid("param").id);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(budgetsTable).where(eq(budgetsTable.id, before.id)),
      // Nothing evaluates them any more: an open one would stay open for ever.
      db.delete(incidentsTable).where(eq(incidentsTable.deploymentId, budgetMonitorId(before))),
      auditEntry(c, before.projectId, "budget.delete", before.id, toBudgetFields(before), null),
    ]);
    return c.json({ deleted: before.id }, 200);
  });

function defaultName(scope: { type: string } & Record<string, string>, period: string): string {
  const what = Object.entries(scope)
    .filter(([key]) => key !== "type")
    .map(([, value]) => value)
    .join("/");
  return `${scope.type}${what ? ` ${what}` : ""} per ${period}`;
}
