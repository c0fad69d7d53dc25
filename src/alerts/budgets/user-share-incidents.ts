// The opt-in "one user is more than X % of a deployment's spend over the last hour (with at
// least $Y)" rules (user_share_rules), every cron minute: per rule and deployment in its
// scope, the deployment's Durable Object merges its top-spenders sketches of the previous
// UTC hour and the current one (src/monitor/spend-store.ts) and src/spend/user-share.ts
// decides on the heaviest user's lower bound. Each (rule, deployment) is one incident on the
// deployment (rule id `user_share:<rule id>`), through the same state machine, outbox and
// channels as drift; never public (a status page does not name a customer's users).
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { deploymentsTable, incidentsTable, userShareRulesTable } from "../../db/schema";
import { publicOrigin } from "../../net/public-origin";
import { incidentPageUrl } from "../../shared/dashboard-links";
import { HOUR_MS, hourOf, MINUTE_MS, minuteOf } from "../../shared/time";
import { type UserShareVerdict, userShareVerdict } from "../../spend/user-share";
import type { NotificationItem } from "../delivery/notification-types";
import { commitWithOutbox, enabledChannels, outboxRow } from "../delivery/outbox";
import { fnv1a64, groupNotifications, stepIncident } from "../incidents/incident-machine";
import { latestIncidents, stateOf, stepWrites } from "../incidents/incident-store";
import { usd } from "./budget-message";

type UserShareRuleRow = typeof userShareRulesTable.$inferSelect;
interface Deployment {
  id: string;
  environment: string;
  slug: string;
}

export const userShareRuleId = (ruleId: string) => `user_share:${ruleId}`;

const pct = (share: number) => `${+(share * 100).toPrecision(3)} %`;

/** The alert's words: the hashed user, its share (with the sketch's range) and cost. */
export function userShareMessage(rule: UserShareRuleRow, d: Deployment, v: UserShareVerdict) {
  const range =
    v.costUsdMax > v.costUsd
      ? ` (at least ${pct(v.shareLow)}, at most ${pct(v.shareHigh)}; ${usd(v.costUsd)}–${usd(v.costUsdMax)})`
      : "";
  return (
    `User ${v.user ?? "(none)"} spent ${usd(v.costUsd)} of ${usd(v.totalUsd)} on ` +
    `${d.environment}/${d.slug} since the start of the previous hour: ${pct(v.shareLow)} of its ` +
    `spend${range}; the rule fires above ${rule.percent} % with at least ${usd(rule.minUsd)}.`
  );
}

async function deploymentsOf(db: D1Database, rule: UserShareRuleRow): Promise<Deployment[]> {
  return drizzle(db)
    .select({
      id: deploymentsTable.id,
      environment: deploymentsTable.environment,
      slug: deploymentsTable.slug,
    })
    .from(deploymentsTable)
    .where(
      and(
        eq(deploymentsTable.projectId, rule.projectId),
        rule.environment === null ? undefined : eq(deploymentsTable.environment, rule.environment),
        rule.slug === null ? undefined : eq(deploymentsTable.slug, rule.slug),
      ),
    );
}

/** Steps one (rule, deployment) incident; returns the notifications written. */
async function evaluateOne(
  env: Env,
  rule: UserShareRuleRow,
  d: Deployment,
  minute: number,
): Promise<number> {
  const ruleId = userShareRuleId(rule.id);
  const previous = (await latestIncidents(env.DB, d.id)).get(ruleId);
  const sketch = await env.DEPLOYMENT_MONITOR.getByName(d.id).topSpenders(
    "user",
    hourOf(minute) - HOUR_MS,
    minute + MINUTE_MS,
  );
  const verdict = userShareVerdict(sketch, rule);
  if (!previous && !verdict.breach) return 0;
  const step = stepIncident({
    previous: stateOf(previous),
    deployment_id: d.id,
    rule_id: ruleId,
    outcome: verdict.breach ? "breach" : "ok",
    value: verdict.shareLow * 100,
    minute,
    for_minutes: 0,
    no_data: "ignore",
  });
  const message = userShareMessage(rule, d, verdict);
  const dz = drizzle(env.DB);
  const now = Date.now();
  const check = {
    metric: "user_share",
    value: verdict.shareLow * 100,
    threshold: rule.percent,
    user: verdict.user,
    cost_usd: verdict.costUsd,
    message,
  };
  const write = stepWrites(
    dz,
    {
      projectId: rule.projectId,
      deploymentId: d.id,
      rule: { id: ruleId, severity: rule.severity },
      check,
    },
    previous,
    step,
    now,
  );
  const statements: BatchItem<"sqlite">[] = [...write.statements];
  // Never on a public status page: the incident names one of the customer's users. Every
  // new row (the first episode, or a new one after a resolved incident) starts hidden.
  if (write.incidentId && write.incidentId !== previous?.id) {
    statements.push(
      dz
        .update(incidentsTable)
        .set({ public: false })
        .where(eq(incidentsTable.id, write.incidentId)),
    );
  }
  const rows: ReturnType<typeof outboxRow>[] = [];
  if (step.notification && write.incidentId) {
    const kind = step.notification.kind;
    const item: NotificationItem = {
      deployment_id: d.id,
      environment: d.environment,
      slug: d.slug,
      rule_id: ruleId,
      rule_name: `One user above ${rule.percent} % of the last hour's spend`,
      severity: rule.severity,
      metric: "user_share",
      status: kind === "resolved" ? "resolved" : "firing",
      repeat: kind === "repeat",
      value: verdict.shareLow * 100,
      baseline_value: rule.percent,
      test: "user_share",
      statistic: verdict.shareLow * 100,
      threshold: rule.percent,
      unit: "%",
      message,
      reason:
        kind === "resolved"
          ? "resolved because no user is above the share (or the minimum) any more"
          : `fired because the user's lower-bound share is above ${rule.percent} % and its cost at least ${usd(rule.minUsd)}`,
      release: null,
      dashboard_url: incidentPageUrl(publicOrigin(env), write.incidentId),
      incident_id: write.incidentId,
      started_at: step.state.started_at ?? minute,
      firing_at: step.state.firing_at,
      evaluated_at: minute,
    };
    const channels = await enabledChannels(env.DB, rule.projectId);
    for (const group of groupNotifications([item])) {
      // Its own key: never shares (and so dedupes away) a drift notification's outbox row.
      const own = { ...group, group_key: fnv1a64(`${d.id}\u0000${ruleId}\u0000${minute}`) };
      rows.push(...channels.map((ch) => outboxRow(rule.projectId, own, ch, now)));
    }
  }
  return commitWithOutbox(env, statements, rows, now, `user-share alerts of ${d.id}`);
}

/** Evaluates every user-share rule for the tick's minute; a failure never stops the others. */
export async function evaluateUserShareRules(env: Env, scheduledTime: number): Promise<number> {
  const minute = minuteOf(scheduledTime);
  const rules = await drizzle(env.DB).select().from(userShareRulesTable);
  let written = 0;
  for (const rule of rules) {
    for (const d of await deploymentsOf(env.DB, rule)) {
      try {
        written += await evaluateOne(env, rule, d, minute);
      } catch (err) {
        console.error(`user-share rule ${rule.id} on ${d.id} failed`, err);
      }
    }
  }
  return written;
}
