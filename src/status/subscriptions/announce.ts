// Tells each page's confirmed subscribers what happened since the last tick, through the alert
// outbox. Every minute, for each page with subscribers: read the page as it is shown (its
// public incidents, written updates, maintenance), list its events of the last LOOKBACK_MS
// (page-events.ts), and for those not yet announced write, in ONE D1 batch, the
// announcement rows and one outbox row per subscriber who follows the event and had
// confirmed by then. Then queue the rows (a failed send is drained by the next tick).
// Nothing lost: an event stays unannounced until that batch commits, and the page's rows it
// is derived from are durable. Nothing twice: an event is announced once (primary key), each
// outbox row's id is the subscriber and the event, and the sender skips a delivered row.
import { and, eq, inArray, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sendCommitted } from "../../alerts/delivery/outbox";
import { maintenancesSince } from "../../alerts/maintenance/maintenances";
import { activeSubscribers } from "../../alerts/subscribers/subscriber-store";
import { projectsTable, statusAnnouncementsTable, statusSubscribersTable } from "../../db/schema";
import { publicOrigin } from "../../net/public-origin";
import { pageMaintenances } from "../maintenance-model";
import { loadStatusModel } from "../page-data";
import { follows, pageEvents } from "./page-events";
import { eventPayload, subscriberLinks } from "./subscriber-payload";

/** Events older than this are not announced (a tick that ran late still catches up). */
export const LOOKBACK_MS = 6 * 3_600_000;
/** Outbox rows per INSERT: payloads are a few kB each, well under D1's statement size. */
const ROWS_PER_INSERT = 50;

interface OutboxEntry {
  id: string;
  sub: string;
  inc: string;
  payload: string;
}

/** Announces every page's new events; returns how many outbox rows it wrote. */
export async function announcePageEvents(env: Env, now: number): Promise<number> {
  const pages = await drizzle(env.DB)
    .selectDistinct({ projectId: statusSubscribersTable.projectId, slug: projectsTable.statusSlug })
    .from(statusSubscribersTable)
    .innerJoin(projectsTable, eq(projectsTable.id, statusSubscribersTable.projectId))
    .where(eq(statusSubscribersTable.status, "active"));
  let written = 0;
  for (const page of pages) {
    if (!page.slug) continue;
    try {
      written += await announcePage(env, page.projectId, page.slug, now);
    } catch (err) {
      console.error(`announcing status page events of ${page.projectId} failed`, err);
    }
  }
  await drizzle(env.DB)
    .delete(statusAnnouncementsTable)
    .where(lt(statusAnnouncementsTable.at, now - 2 * LOOKBACK_MS));
  return written;
}

async function announcePage(env: Env, projectId: string, slug: string, now: number) {
  const m = await loadStatusModel(env.DB, slug, now);
  if (!m) return 0;
  const [subscribers, windows, settings] = await Promise.all([
    activeSubscribers(env.DB, projectId),
    maintenancesSince(env.DB, projectId, now - LOOKBACK_MS),
    drizzle(env.DB)
      .select({ s: projectsTable.statusPage })
      .from(projectsTable)
      .where(eq(projectsTable.id, projectId)),
  ]);
  const shown = settings[0]?.s?.deployments ?? [];
  // Windows just over are no longer on the page: read as they were in their last minute.
  const maintenances = windows.flatMap((w) =>
    pageMaintenances([w], shown, Math.min(now, w.endsAt - 1)),
  );
  const recent = pageEvents(m.incidents, maintenances, now).filter((e) => e.at > now - LOOKBACK_MS);
  if (recent.length === 0 || subscribers.length === 0) return 0;
  const d = drizzle(env.DB);
  const seen = new Set(
    (
      await d
        .select({ key: statusAnnouncementsTable.eventKey })
        .from(statusAnnouncementsTable)
        .where(
          and(
            eq(statusAnnouncementsTable.projectId, projectId),
            inArray(
              statusAnnouncementsTable.eventKey,
              recent.map((e) => e.key),
            ),
          ),
        )
    ).map((r) => r.key),
  );
  const fresh = recent.filter((e) => !seen.has(e.key));
  if (fresh.length === 0) return 0;
  const pageUrl = `${publicOrigin(env)}/status/${slug}`;
  const rows: OutboxEntry[] = [];
  for (const e of fresh) {
    for (const s of subscribers) {
      if ((s.confirmedAt ?? now) > e.at || !follows(s.components, e)) continue;
      // Slack hears of an incident once; component updates are for webhook consumers.
      if (s.kind === "slack" && e.kind === "component") continue;
      rows.push({
        id: `dlv_${s.id}_${e.key}`,
        sub: s.id,
        inc: JSON.stringify(e.kind === "incident" ? [e.incident.id] : []),
        payload: eventPayload(s, e, m, subscriberLinks(pageUrl, s)),
      });
    }
  }
  const announcements = env.DB.prepare(
    `INSERT OR IGNORE INTO status_announcements (project_id, event_key, at)
     SELECT ?1, json_extract(value, '$.key'), json_extract(value, '$.at') FROM json_each(?2)`,
  ).bind(projectId, JSON.stringify(fresh.map((e) => ({ key: e.key, at: e.at }))));
  const inserts = [];
  for (let k = 0; k < rows.length; k += ROWS_PER_INSERT) {
    inserts.push(
      env.DB.prepare(
        `INSERT OR IGNORE INTO deliveries
           (id, project_id, channel_id, incident_ids, status, attempts, payload, created_at, updated_at)
         SELECT json_extract(value, '$.id'), ?1, json_extract(value, '$.sub'),
           json_extract(value, '$.inc'), 'pending', 0, json_extract(value, '$.payload'), ?2, ?2
         FROM json_each(?3)`,
      ).bind(projectId, now, JSON.stringify(rows.slice(k, k + ROWS_PER_INSERT))),
    );
  }
  await env.DB.batch([announcements, ...inserts]);
  await sendCommitted(
    env,
    now,
    rows.map((r) => r.id),
    "status page notifications",
  );
  return rows.length;
}
