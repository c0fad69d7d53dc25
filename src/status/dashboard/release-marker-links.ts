// Each release marker of the deployment page's charts links to the release comparison page
// (release-compare.tsx): at the newest verdict of that release when it has one, else at
// the comparison of that release with the one before it (both arms' minutes, no verdict).
import { and, desc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { releaseVerdictsTable } from "../../db/schema";
import type { ChartMarker } from "./line-chart";

/** The comparison page's path for a deployment. */
export const releasesPath = (environment: string, slug: string) =>
  `/dashboard/d/${encodeURIComponent(environment)}/${encodeURIComponent(slug)}/releases`;

/** Markers with their `href`; `verdicts` maps a release key to its newest verdict's id. */
export function linkMarkers(
  markers: readonly ChartMarker[],
  verdicts: ReadonlyMap<string, string>,
  path: string,
): ChartMarker[] {
  return markers.map((m) => {
    if (!m.compare) return m;
    const [before, key] = m.compare;
    const id = verdicts.get(key);
    const query = id
      ? `verdict=${encodeURIComponent(id)}`
      : `a=${encodeURIComponent(before)}&b=${encodeURIComponent(key)}`;
    return { ...m, href: `${path}?${query}` };
  });
}

/** The newest verdict's id of each of `keys` (release keys) on the deployment. */
export async function verdictIdsOf(
  db: D1Database,
  deploymentId: string,
  markers: readonly ChartMarker[],
): Promise<Map<string, string>> {
  const keys = markers.flatMap((m) => (m.compare ? [m.compare[1]] : []));
  if (keys.length === 0) return new Map();
  const t = releaseVerdictsTable;
  const rows = await drizzle(db)
    .select({ id: t.id, key: t.candidateKey })
    .from(t)
    .where(and(eq(t.deploymentId, deploymentId), inArray(t.candidateKey, keys)))
    .orderBy(desc(t.startedAt));
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.key)) out.set(r.key, r.id);
  return out;
}

/** The deployment page's release markers, each linked to its verdict or comparison. */
export async function linkedMarkers(
  db: D1Database,
  dep: { id: string; environment: string; slug: string },
  markers: readonly ChartMarker[],
): Promise<ChartMarker[]> {
  const ids = await verdictIdsOf(db, dep.id, markers);
  return linkMarkers(markers, ids, releasesPath(dep.environment, dep.slug));
}
