// The incidents list's filters (pure): state, severity, deployment, release and time, read
// from the page's query string. A value the form cannot send falls back to "any" and is
// named, so a hand-edited link says what it ignored instead of failing.
import { DAY_MS, HOUR_MS } from "../../shared/time";
import { z } from "../../zod";

export const FILTER_STATES = [
  "open",
  "pending",
  "firing",
  "acknowledged",
  "resolved",
  "all",
] as const;
export const FILTER_SEVERITIES = ["any", "warning", "critical"] as const;
export const FILTER_SINCE = ["24h", "7d", "30d"] as const;
export type FilterState = (typeof FILTER_STATES)[number];

export const SINCE_MS: Record<(typeof FILTER_SINCE)[number], number> = {
  "24h": 24 * HOUR_MS,
  "7d": 7 * DAY_MS,
  "30d": 30 * DAY_MS,
};

/** "production/support-bot": an environment and a slug. */
const DEPLOYMENT = /^[a-z0-9][a-z0-9\-_.]{0,63}\/[a-z0-9][a-z0-9\-_.]{0,63}$/;

export const IncidentFilterSchema = z.object({
  state: z.enum(FILTER_STATES).default("all"),
  severity: z.enum(FILTER_SEVERITIES).default("any"),
  deployment: z.union([z.literal(""), z.string().regex(DEPLOYMENT)]).default(""),
  release: z.string().trim().max(128).default(""),
  since: z.enum(FILTER_SINCE).default("7d"),
});

export type IncidentFilter = z.output<typeof IncidentFilterSchema>;

const DEFAULTS: IncidentFilter = IncidentFilterSchema.parse({});

/** The filter a query asks for, and the names of the fields whose values were ignored. */
export function parseIncidentFilter(query: Record<string, string | undefined>): {
  filter: IncidentFilter;
  ignored: string[];
} {
  const filter: Record<string, unknown> = { ...DEFAULTS };
  const ignored: string[] = [];
  const shape = IncidentFilterSchema.shape;
  for (const key of Object.keys(shape) as (keyof IncidentFilter)[]) {
    const raw = query[key];
    if (raw === undefined || raw === "") continue;
    const parsed = shape[key].safeParse(raw);
    if (parsed.success) filter[key] = parsed.data;
    else ignored.push(key);
  }
  return { filter: filter as IncidentFilter, ignored };
}

export interface FilterableIncident {
  status: string;
  severity: string;
  ackedAt: number | null;
  resolvedAt: number | null;
  startedAt: number;
}

/** Whether an incident is in the state the filter names (acknowledged: open and acked). */
export function matchesState(i: FilterableIncident, state: FilterState): boolean {
  const open = i.resolvedAt === null;
  switch (state) {
    case "all":
      return true;
    case "open":
      return open;
    case "pending":
      return open && i.status === "pending";
    case "firing":
      return open && i.status === "firing" && i.ackedAt === null;
    case "acknowledged":
      return open && i.ackedAt !== null;
    case "resolved":
      return !open;
  }
}

/** A release combination, as the releases table holds it. */
export interface ReleaseFields {
  release: string;
  promptVersion: string;
  model: string;
  firstSeen: number;
}

/** The combination in force when the incident started: the newest first seen by then. */
export function releaseAt<R extends ReleaseFields>(releases: readonly R[], at: number): R | null {
  let found: R | null = null;
  for (const r of releases) {
    if (r.firstSeen <= at && (!found || r.firstSeen > found.firstSeen)) found = r;
  }
  return found;
}

/** Whether `wanted` names the release, prompt version or model of `r` (case-insensitive). */
export function releaseMatches(r: ReleaseFields | null, wanted: string): boolean {
  if (!wanted) return true;
  if (!r) return false;
  const w = wanted.toLowerCase();
  return [r.release, r.promptVersion, r.model].some((v) => v !== "" && v.toLowerCase() === w);
}
