// Budget alerts, every cron minute: per budget, the fast burn pair (1 h and 5 min both at
// ≥ 14× the even pace, critical), the slow pair (6 h and 30 min at ≥ 6×, warning) and
// "forecast exceeds budget" (warning) each drive their own incident through the same
// state machine, incident rows, outbox and channels as drift. An incident's "deployment"
// is the budget (`<project>:budget:<id>`, no deployment: never on a public status page) and its rule id
// `budget:<id>:fast|slow|forecast`; it fires at the first breaching minute and resolves
// at the first minute the pace (or the forecast) is back under the line.
import { desc, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { budgetsTable, projectsTable, releasesTable } from "../../db/schema";
import { publicOrigin } from "../../net/public-origin";
import { incidentPageUrl } from "../../shared/dashboard-links";
import { HOUR_MS, minuteOf } from "../../shared/time";
import { type Burner, topBurner } from "../../spend/attribution";
import {
  type BudgetRow,
  type BudgetStatus,
  budgetStatus,
  scopeOf,
} from "../../spend/budget-status";
import { BURN_LOOKBACK_MS, type MinuteSpend, readPairs } from "../../spend/burn-rate";
import { scopeMinuteSpend } from "../../spend/scope-spend";
import type { NotificationItem, Severity } from "../delivery/notification-types";
import { commitWithOutbox, enabledChannels, outboxRow } from "../delivery/outbox";
import { fnv1a64, groupNotifications, stepIncident } from "../incidents/incident-machine";
import { latestIncidents, stateOf, stepWrites } from "../incidents/incident-store";
import { burnMessage, forecastMessage, type WhatBurns } from "./budget-message";

/** Under the project's id prefix, so deleting the project deletes these incidents too. */
export const budgetMonitorId = (b: { projectId: string; id: string }) =>
  `${b.projectId}:budget:${b.id}`;
export type BudgetAlertKind = "fast" | "slow" | "forecast";
export const budgetRuleId = (budgetId: string, kind: BudgetAlertKind) =>
  `budget:${budgetId}:${kind}`;

interface BudgetCheck {
  kind: BudgetAlertKind;
  name: string;
  severity: Severity;
  breach: boolean;
  value: number;
  threshold: number;
  unit: string | null;
  message: string;
}

export function scopeText(budget: BudgetRow): string {
  switch (budget.scopeType) {
    case "project":
      return "whole project";
    case "environment":
      return `environment ${budget.scopeEnvironment}`;
    case "deployment":
      return `deployment ${budget.scopeEnvironment}/${budget.scopeSlug}`;
    case "model":
      return `model ${budget.scopeModel}`;
  }
}

async function liveRelease(db: D1Database, deploymentId: string): Promise<string | null> {
  const [row] = await drizzle(db)
    .select({ release: releasesTable.release })
    .from(releasesTable)
    .where(eq(releasesTable.deploymentId, deploymentId))
    .orderBy(desc(releasesTable.lastSeen))
    .limit(1);
  return row?.release ? row.release : null;
}

/** The budget's three checks at `minute`, from D1 rollups. */
export async function checkBudget(
  db: D1Database,
  budget: BudgetRow,
  timeZone: string,
  minute: number,
): Promise<{ status: BudgetStatus; checks: BudgetCheck[] }> {
  const status = await budgetStatus(db, budget, timeZone, minute);
  const scope = scopeOf(budget);
  const rows = await scopeMinuteSpend(db, budget.projectId, scope, minute - BURN_LOOKBACK_MS);
  const byMinute = new Map<number, number>();
  for (const r of rows) byMinute.set(r.start, (byMinute.get(r.start) ?? 0) + r.usd);
  const minutes: MinuteSpend[] = [...byMinute].map(([start, usd]) => ({ start, usd }));
  const found = topBurner(rows, minute - HOUR_MS, minute);
  const burner: Burner =
    scope.type === "model" && found.deployment
      ? { ...found, model: { name: scope.model ?? "", share: 1 } }
      : found;
  const what: WhatBurns = {
    burner,
    release: burner.deployment ? await liveRelease(db, burner.deployment.id) : null,
  };
  const checks: BudgetCheck[] = readPairs(minutes, minute, status.evenPaceUsdPerHour).map(
    (reading) => ({
      kind: reading.pair.id,
      name: `Budget "${budget.name}" burning ≥ ${reading.pair.factor}× its even pace`,
      severity: reading.pair.severity,
      breach: reading.breach,
      value: reading.longRate,
      threshold: reading.pair.factor,
      unit: "×",
      message: burnMessage(budget, status, reading, what),
    }),
  );
  checks.push({
    kind: "forecast",
    name: `Budget "${budget.name}" forecast to exceed`,
    severity: "warning",
    breach: status.expectedUsd > budget.amountUsd,
    value: status.expectedUsd,
    threshold: budget.amountUsd,
    unit: "USD",
    message: forecastMessage(budget, status, what),
  });
  return { status, checks };
}

/** Steps the budget's incidents for `minute`; returns the notifications written. */
async function evaluateBudget(
  env: Env,
  budget: BudgetRow,
  timeZone: string,
  minute: number,
): Promise<number> {
  const { checks } = await checkBudget(env.DB, budget, timeZone, minute);
  const monitorId = budgetMonitorId(budget);
  const previous = await latestIncidents(env.DB, monitorId);
  const d = drizzle(env.DB);
  const now = Date.now();
  const statements: BatchItem<"sqlite">[] = [];
  const items: NotificationItem[] = [];
  for (const check of checks) {
    const ruleId = budgetRuleId(budget.id, check.kind);
    const prev = previous.get(ruleId);
    if (!prev && !check.breach) continue;
    const step = stepIncident({
      previous: stateOf(prev),
      deployment_id: monitorId,
      rule_id: ruleId,
      outcome: check.breach ? "breach" : "ok",
      value: check.value,
      minute,
      for_minutes: 0,
      no_data: "ignore",
    });
    // "budget" titles the incident; the rest is what the alert said.
    const lastCheck = {
      metric: "budget",
      budget_id: budget.id,
      kind: check.kind,
      value: check.value,
      threshold: check.threshold,
      message: check.message,
    };
    const write = stepWrites(
      d,
      {
        projectId: budget.projectId,
        deploymentId: monitorId,
        rule: { id: ruleId, severity: check.severity },
        check: lastCheck,
      },
      prev,
      step,
      now,
    );
    statements.push(...write.statements);
    if (!step.notification || !write.incidentId) continue;
    const kind = step.notification.kind;
    items.push({
      deployment_id: monitorId,
      environment: scopeText(budget),
      slug: budget.name,
      rule_id: ruleId,
      rule_name: check.name,
      severity: check.severity,
      metric: "budget",
      status: kind === "resolved" ? "resolved" : "firing",
      repeat: kind === "repeat",
      value: check.value,
      baseline_value: check.kind === "forecast" ? budget.amountUsd : 1,
      test: check.kind === "forecast" ? "forecast" : "burn_rate",
      statistic: check.value,
      threshold: check.threshold,
      unit: check.unit,
      message: check.message,
      reason:
        kind === "resolved"
          ? check.kind === "forecast"
            ? "resolved because the forecast is back within the budget"
            : "resolved because the pace fell back below the threshold"
          : check.kind === "forecast"
            ? "fired because the forecast for the period's end is above the budget"
            : `fired because both windows burn at ≥ ${check.threshold}× the even pace`,
      release: null,
      dashboard_url: incidentPageUrl(publicOrigin(env), write.incidentId),
      incident_id: write.incidentId,
      started_at: step.state.started_at ?? minute,
      firing_at: step.state.firing_at,
      evaluated_at: minute,
    });
  }
  const rows = [];
  if (items.length > 0) {
    const channels = await enabledChannels(env.DB, budget.projectId);
    for (const group of groupNotifications(items)) {
      // Its own key: never shares (and so dedupes away) a drift notification's outbox row.
      const own = { ...group, group_key: fnv1a64(`${monitorId}\u0000${minute}`) };
      rows.push(...channels.map((ch) => outboxRow(budget.projectId, own, ch, now)));
    }
  }
  // Incident steps and their notifications in one batch, as drift evaluation does.
  return commitWithOutbox(env, statements, rows, now, `the alerts of budget ${budget.id}`);
}

/** Evaluates every budget for the tick's minute; one failing budget never stops the others. */
export async function evaluateBudgets(env: Env, scheduledTime: number): Promise<number> {
  const minute = minuteOf(scheduledTime);
  const rows = await drizzle(env.DB)
    .select({ budget: budgetsTable, timeZone: projectsTable.timeZone })
    .from(budgetsTable)
    .innerJoin(projectsTable, eq(projectsTable.id, budgetsTable.projectId));
  let written = 0;
  for (const { budget, timeZone } of rows) {
    try {
      written += await evaluateBudget(env, budget, timeZone, minute);
    } catch (err) {
      console.error(`evaluating budget ${budget.id} failed`, err);
    }
  }
  return written;
}
