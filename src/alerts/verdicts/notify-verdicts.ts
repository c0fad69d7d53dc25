import type { channelsTable, deliveriesTable, deploymentsTable } from "../../db/schema";
import { outboxInsert, sendCommitted } from "../delivery/outbox";
import {
  type VerdictContext,
  verdictSlackMessage,
  verdictWebhookPayload,
} from "./verdict-messages";
import type { VerdictRow } from "./verdict-row";

type DeploymentRow = typeof deploymentsTable.$inferSelect;
type ChannelRow = typeof channelsTable.$inferSelect;

/** The deployment's release comparison page opened at a verdict. */
export function verdictDashboardUrl(origin: string, d: DeploymentRow, verdictId: string): string {
  const path = `/dashboard/d/${encodeURIComponent(d.environment)}/${encodeURIComponent(d.slug)}`;
  return `${origin.replace(/\/$/, "")}${path}/releases?verdict=${encodeURIComponent(verdictId)}`;
}

type DeliveryRow = typeof deliveriesTable.$inferInsert;

/** The outbox rows of `decided`, one per verdict and channel. */
export function verdictOutboxRows(
  channels: readonly ChannelRow[],
  deployment: DeploymentRow,
  decided: readonly VerdictRow[],
  origin: string,
  now: number,
): DeliveryRow[] {
  return decided.flatMap((row) => {
    const ctx: VerdictContext = {
      environment: deployment.environment,
      slug: deployment.slug,
      url: verdictDashboardUrl(origin, deployment, row.id),
    };
    return channels.map((channel) => ({
      id: `dlv_${row.id}_${channel.id}`,
      projectId: deployment.projectId,
      channelId: channel.id,
      incidentIds: [],
      status: "pending" as const,
      attempts: 0,
      payload: JSON.stringify(
        channel.type === "slack"
          ? verdictSlackMessage(row, ctx)
          : verdictWebhookPayload(row, ctx, now),
      ),
      queuedAt: null,
      createdAt: now,
      updatedAt: now,
    }));
  });
}

/** Inserts statements for the caller's batch (with the verdicts' own update). */
export const outboxInserts = (db: D1Database, rows: readonly DeliveryRow[]) =>
  rows.map((row) => outboxInsert(db, row));

/** Queues the rows at once; the tick's drain sends what this could not. */
export async function queueVerdictNotifications(
  env: Env,
  rows: readonly DeliveryRow[],
  now: number,
) {
  await sendCommitted(
    env,
    now,
    rows.map((r) => r.id),
    "verdict notifications",
  );
}
