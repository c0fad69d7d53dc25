import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import type { channelsTable, deploymentsTable } from "../../db/schema";
import { incidentDashboardUrl } from "../../shared/dashboard-links";
import type { NotificationItem, ReleaseInfo } from "../delivery/notification-types";
import { enabledChannels, outboxInsert, outboxRow, sendCommitted } from "../delivery/outbox";
import { changeGroupOf, type Signal } from "../incidents/change-signals";
import { groupNotifications, stepIncident } from "../incidents/incident-machine";
import {
  type IncidentRow,
  latestIncidents,
  stateOf,
  stepWrites,
} from "../incidents/incident-store";
import { underMaintenance } from "../maintenance/maintenances";
import type { Rule } from "../rules/rule-schema";
import type { CheckResult } from "./check-result";
import { explainNotification } from "./explain";

type DeploymentRow = typeof deploymentsTable.$inferSelect;
type ChannelRow = typeof channelsTable.$inferSelect;

/** Attempts when an ack, silence or manual resolve changes an incident mid-evaluation. */
const CONFLICT_ATTEMPTS = 3;

export interface EvaluationContext {
  deployment: DeploymentRow;
  minute: number;
  /** The enabled rules evaluated, in the order of `checks`. */
  rules: Rule[];
  checks: CheckResult[];
  /** The release facts for an incident opened at `openedAt` (epoch ms), or null. */
  releaseFor: (openedAt: number) => ReleaseInfo | null;
  /** Origin for dashboard links in notifications. */
  origin: string;
}

interface Plan {
  statements: BatchItem<"sqlite">[];
  deliveryIds: string[];
}

function itemOf(
  ctx: EvaluationContext,
  rule: Rule,
  check: CheckResult,
  incidentId: string,
  kind: "firing" | "resolved" | "repeat",
  startedAt: number,
  firingAt: number | null,
): NotificationItem {
  const { deployment } = ctx;
  return {
    deployment_id: deployment.id,
    environment: deployment.environment,
    slug: deployment.slug,
    rule_id: rule.id,
    rule_name: rule.name,
    severity: rule.severity,
    metric: rule.metric,
    status: kind === "resolved" ? "resolved" : "firing",
    repeat: kind === "repeat",
    value: check.value,
    baseline_value: check.baseline_value,
    test: check.test,
    statistic: check.statistic,
    threshold: check.threshold,
    unit: check.unit,
    message: check.summary ?? check.message,
    reason: explainNotification(check, kind, rule.no_data),
    conditions: check.conditions ?? [],
    effect: check.effect_size ?? null,
    where: check.attribution ?? null,
    release: ctx.releaseFor(startedAt),
    // Opens the dashboard's deployment page at this incident and its rule's chart.
    dashboard_url: incidentDashboardUrl(ctx.origin, deployment, incidentId),
    incident_id: incidentId,
    started_at: startedAt,
    firing_at: firingAt,
    evaluated_at: ctx.minute,
  };
}

/** The release change that precedes an incident opened at `startedAt`, as the status page reads it. */
function changeBefore(release: ReleaseInfo | null, startedAt: number): number | null {
  const at = release?.first_seen_at ?? null;
  return at !== null && at <= startedAt ? at : null;
}

async function plan(
  env: Env,
  ctx: EvaluationContext,
  previous: Map<string, IncidentRow>,
  channels: () => Promise<ChannelRow[]>,
  maintenance: () => Promise<boolean>,
  now: number,
): Promise<Plan> {
  const d = drizzle(env.DB);
  const statements: BatchItem<"sqlite">[] = [];
  const items: { item: NotificationItem; rule: Rule; signal: Signal }[] = [];
  const signals: Signal[] = [];
  const { deployment, minute } = ctx;
  for (const [i, check] of ctx.checks.entries()) {
    // evaluateRules keeps the order of the (already enabled-only) rules.
    const rule = ctx.rules[i];
    if (!rule || rule.id !== check.rule_id) continue;
    const prev = previous.get(rule.id);
    const input = {
      previous: stateOf(prev),
      deployment_id: deployment.id,
      rule_id: rule.id,
      outcome: check.outcome,
      value: check.value,
      minute,
      for_minutes: rule.for_minutes,
      no_data: rule.no_data,
      repeat_interval_minutes: rule.repeat_interval_minutes,
      send_resolved: rule.send_resolved,
    };
    // Maintenance is read only when a step would notify: quiet minutes cost no extra read.
    let step = stepIncident(input);
    if (step.notification && (await maintenance())) {
      step = stepIncident({ ...input, in_maintenance: true });
    }
    const meta = { projectId: deployment.projectId, deploymentId: deployment.id, rule, check };
    const write = stepWrites(d, meta, prev, step, now);
    statements.push(...write.statements);
    const incidentId = write.incidentId ?? prev?.id;
    const startedAt = step.state.started_at ?? minute;
    if (!incidentId) continue;
    const signal: Signal = {
      incidentId,
      ruleName: rule.name,
      severity: rule.severity,
      status: step.state.status,
      startedAt,
      firingAt: step.state.firing_at,
      resolvedAt: step.state.resolved_at,
      changeAt: changeBefore(ctx.releaseFor(startedAt), startedAt),
    };
    signals.push(signal);
    if (!step.notification || !write.incidentId) continue;
    const item = itemOf(
      ctx,
      rule,
      check,
      write.incidentId,
      step.notification.kind,
      startedAt,
      step.state.firing_at,
    );
    items.push({ rule, item, signal });
  }
  // One change, one incident: each signal names the incident of its change.
  for (const { item, signal } of items) item.group = changeGroupOf(signal, signals, minute);
  const rows = [];
  if (items.length > 0) {
    // A rule without channels notifies every enabled channel of the project.
    for (const channel of await channels()) {
      const mine = items.filter(
        ({ rule }) => rule.channels.length === 0 || rule.channels.includes(channel.id),
      );
      for (const group of groupNotifications(mine.map((m) => m.item)))
        rows.push(outboxRow(deployment.projectId, group, channel, now));
    }
  }
  statements.push(...rows.map((row) => outboxInsert(env.DB, row)));
  return { statements, deliveryIds: rows.map((r) => r.id) };
}

const versions = (rows: Map<string, IncidentRow>) =>
  [...rows.values()]
    .map((r) => `${r.id}@${r.updatedAt}`)
    .sort()
    .join(",");

/**
 * Steps every rule's incident, stores the steps and their notifications in one batch,
 * then sends those from the outbox (a failed send is left to the next tick's drain).
 * Returns the number of notifications written.
 */
export async function commitEvaluation(env: Env, ctx: EvaluationContext): Promise<number> {
  let channelRows: ChannelRow[] | undefined;
  const channels = async () => {
    channelRows ??= await enabledChannels(env.DB, ctx.deployment.projectId);
    return channelRows;
  };
  let inMaintenance: Promise<boolean> | undefined;
  const maintenance = () => {
    inMaintenance ??= underMaintenance(env.DB, ctx.deployment, ctx.minute);
    return inMaintenance;
  };
  for (let attempt = 1; ; attempt++) {
    const previous = await latestIncidents(env.DB, ctx.deployment.id);
    const now = Date.now();
    const { statements, deliveryIds } = await plan(env, ctx, previous, channels, maintenance, now);
    const [first, ...rest] = statements;
    if (!first) return 0;
    try {
      await drizzle(env.DB).batch([first, ...rest]);
    } catch (err) {
      // Someone changed an incident since it was read: step again from their state.
      const changed = versions(await latestIncidents(env.DB, ctx.deployment.id));
      if (attempt < CONFLICT_ATTEMPTS && changed !== versions(previous)) continue;
      throw err;
    }
    await sendCommitted(env, now, deliveryIds, `alerts of ${ctx.deployment.id}`);
    return deliveryIds.length;
  }
}
