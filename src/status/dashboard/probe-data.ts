// What the dashboard's probe pages read: the project's probes with their latest run, one
// probe, a page of its runs and its incidents. Secrets never leave this file: the URL is
// masked here and secret header values are not read at all.
import { and, desc, eq, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { incidentsTable, probesTable } from "../../db/schema";
import { probeRuleId } from "../../probes/probe-incidents";
import { type ProbeDefinition, ProbeDefinitionSchema } from "../../probes/probe-schema";
import { listRuns, type RunCursor } from "../../probes/run-store";
import { maskUrl } from "../../probes/url-secrets";

/** A probe as the dashboard shows it: no secret values, the URL masked. */
export interface ProbeSummary {
  id: string;
  definition: ProbeDefinition;
  /** The URL with its user, password and query values masked. */
  url: string;
  enabled: boolean;
  nextRunAt: number;
  lastOutcome: string | null;
  lastRunAt: number | null;
}

interface ProbeListRow {
  id: string;
  definition: string;
  enabled: number;
  next_run_at: number;
  last_outcome: string | null;
  last_at: number | null;
}

const summaryOf = (
  id: string,
  raw: unknown,
  enabled: boolean,
  nextRunAt: number,
  last: { outcome: string | null; at: number | null },
): ProbeSummary => {
  const definition = ProbeDefinitionSchema.parse(raw);
  return {
    id,
    definition,
    url: maskUrl(definition.url),
    enabled,
    nextRunAt,
    lastOutcome: last.outcome,
    lastRunAt: last.at,
  };
};

/** The project's probes, oldest first, each with its latest run (bounded by the probe limit). */
export async function projectProbes(db: D1Database, projectId: string): Promise<ProbeSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT p.id, p.definition, p.enabled, p.next_run_at, r.outcome AS last_outcome,
              r.started_at AS last_at
       FROM probes p LEFT JOIN probe_runs r ON r.id = (
         SELECT id FROM probe_runs WHERE probe_id = p.id ORDER BY started_at DESC, id DESC LIMIT 1)
       WHERE p.project_id = ?1
       ORDER BY p.created_at, p.id`,
    )
    .bind(projectId)
    .all<ProbeListRow>();
  return results.map((r) =>
    summaryOf(r.id, JSON.parse(r.definition), r.enabled === 1, r.next_run_at, {
      outcome: r.last_outcome,
      at: r.last_at,
    }),
  );
}

/** One probe of the project with a page of its runs (newest first) and its incidents. */
export async function probeDetail(
  db: D1Database,
  projectId: string,
  probeId: string,
  cursor: RunCursor | null,
  runLimit = 25,
) {
  const d = drizzle(db);
  const [row] = await d
    .select({
      id: probesTable.id,
      definition: probesTable.definition,
      enabled: probesTable.enabled,
      nextRunAt: probesTable.nextRunAt,
    })
    .from(probesTable)
    .where(and(eq(probesTable.id, probeId), eq(probesTable.projectId, projectId)));
  if (!row) return null;
  const [page, incidents] = await Promise.all([
    listRuns(db, probeId, runLimit, cursor),
    d
      .select()
      .from(incidentsTable)
      .where(
        and(
          eq(incidentsTable.projectId, projectId),
          eq(incidentsTable.ruleId, probeRuleId(probeId)),
          ne(incidentsTable.status, "inactive"),
        ),
      )
      .orderBy(desc(incidentsTable.startedAt))
      .limit(20),
  ]);
  const latest = page.runs[0];
  const probe = summaryOf(row.id, row.definition, row.enabled, row.nextRunAt, {
    outcome: cursor === null ? (latest?.outcome ?? null) : null,
    at: cursor === null ? (latest?.startedAt ?? null) : null,
  });
  return { probe, runs: page.runs, next: page.next, incidents };
}
