// An incident's example events on its dashboard page (src/alerts/incidents/incident-examples.ts):
// a short table of their non-text fields, each with a download of exactly that event as
// NDJSON, and one of them all. The downloads are this dashboard's own route, behind the
// session, and serve only events the incident lists (the API's export needs a key).
import { Hono } from "hono";
import { findIncident } from "../../alerts/incidents/incident-actions";
import { type IncidentExamples, incidentExamples } from "../../alerts/incidents/incident-examples";
import { exportStream } from "../../archive/export-stream";
import type { AppEnv } from "../../http/app-types";
import { OperationError } from "../../shared/operation-error";
import { formatWhen } from "../format";
import { withSession } from "./route-kit";

const OUTCOME_WORDS: Record<IncidentExamples["outcome"], string> = {
  error: "errors",
  timeout: "timeouts",
  refused: "refusals",
  filtered: "filtered answers",
  escalated: "escalations",
  unanswered: "unanswered",
  feedback_down: "thumbs-down",
};

const download = (incidentId: string, eventId?: string) =>
  `/dashboard/incidents/${encodeURIComponent(incidentId)}/examples.ndjson${
    eventId === undefined ? "" : `?event=${encodeURIComponent(eventId)}`
  }`;

/** The segment fields and tags of an example, as one short phrase. */
export function exampleFields(e: IncidentExamples["events"][number]): string {
  const parts: string[] = [];
  for (const f of ["model", "provider", "prompt_version", "release", "finish_reason"] as const) {
    const v = e[f];
    if (v !== undefined) parts.push(`${f}=${v}`);
  }
  for (const [k, v] of Object.entries(e.tags ?? {})) parts.push(`${k}=${v}`);
  return parts.join(" · ");
}

/** The section; nothing when the project keeps no examples or the rule counts no outcome. */
export function IncidentExamplesSection({
  incidentId,
  x,
}: {
  incidentId: string;
  x: IncidentExamples | null;
}) {
  if (x === null) return null;
  const from = x.segment ? ` from ${x.segment.name}` : "";
  const expired =
    x.expired > 0 ? ` ${x.expired} more left out: the archive no longer holds their events.` : "";
  return (
    <section aria-labelledby="examples">
      <h2 id="examples">Examples</h2>
      {x.events.length === 0 ? (
        <p class="card muted small">
          No example {OUTCOME_WORDS[x.outcome]}
          {from} kept for this incident's window.{expired}
        </p>
      ) : (
        <div class="card small scroll" style="padding:4px 8px">
          <p style="margin:.2rem 0">
            {x.events.length} of the {OUTCOME_WORDS[x.outcome]}
            {from} (a random sample; ids and non-text fields only).{expired}{" "}
            <a href={download(incidentId)}>Download all (NDJSON)</a>
          </p>
          <table aria-label="Example events">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Fields</th>
              </tr>
            </thead>
            <tbody>
              {x.events.map((e) => (
                <tr>
                  <td class="num">{formatWhen(e.ts)}</td>
                  <td>
                    <a href={download(incidentId, e.id)}>
                      <code>{e.id}</code>
                    </a>
                  </td>
                  <td>{e.status}</td>
                  <td class="muted">{exampleFields(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** GET /dashboard/incidents/:id/examples.ndjson[?event=]: the listed events from the archive. */
export const incidentExampleRoutes = new Hono<AppEnv>().get("/:id/examples.ndjson", (c) =>
  withSession(c, async (s) => {
    const now = Date.now();
    let found: Awaited<ReturnType<typeof findIncident>>;
    try {
      found = await findIncident(c.env.DB, s.projectId, c.req.param("id"));
    } catch (error) {
      if (error instanceof OperationError) return c.text("Incident not found", 404);
      throw error;
    }
    const d = found.deployment;
    const x = await incidentExamples(c.env, found.incident, d, now);
    const wanted = c.req.query("event");
    const events = (x?.events ?? []).filter((e) => wanted === undefined || e.id === wanted);
    if (events.length === 0 || !d) return c.text("No such example", 404);
    await c.env.DEPLOYMENT_MONITOR.getByName(d.id).flushArchive();
    const body = exportStream(
      c.env.ARCHIVE,
      { projectId: d.projectId, environment: d.environment, slug: d.slug },
      {
        from: Math.min(...events.map((e) => e.ts)),
        to: Math.max(...events.map((e) => e.ts)) + 1,
        ids: new Set(events.map((e) => e.id)),
      },
    );
    return new Response(body, {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "cache-control": "private, no-store",
        "content-disposition": `attachment; filename="incident-${found.incident.id}-examples.ndjson"`,
      },
    });
  }),
);
