// Links into the dashboard that alert messages carry: the dashboard serves these paths
// (src/status/dashboard/), and the alerts build them without importing the dashboard.

/**
 * The deployment page opened at an incident: the page shows that incident and its rule's
 * chart first, under #alert (src/status/dashboard/deployment-page.tsx).
 */
export function incidentDashboardUrl(
  origin: string,
  d: { environment: string; slug: string },
  incidentId: string,
): string {
  const path = `/dashboard/d/${encodeURIComponent(d.environment)}/${encodeURIComponent(d.slug)}`;
  return `${origin.replace(/\/$/, "")}${path}?incident=${encodeURIComponent(incidentId)}#alert`;
}

/** A probe's dashboard page: its runs, assertions, answers and incidents. */
export function probeDashboardUrl(origin: string, probeId: string): string {
  return `${origin.replace(/\/$/, "")}/dashboard/probes/${encodeURIComponent(probeId)}`;
}

/** An incident's own page: for alerts with no chart on a deployment page (budgets, user share). */
export function incidentPageUrl(origin: string, incidentId: string): string {
  return `${origin.replace(/\/$/, "")}/dashboard/incidents/${encodeURIComponent(incidentId)}`;
}
