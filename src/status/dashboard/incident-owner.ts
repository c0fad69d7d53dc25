// Where an incident page links to and how it names what the incident belongs to: a
// deployment's page, or for a budget's alert the Spend page at that budget. Pure.

export interface OwnedBy {
  deployment: { environment: string; slug: string } | null;
  budget: { id: string; name: string } | null;
}

export interface OwnerLink {
  /** The page of what the incident belongs to. */
  href: string;
  /** Short name for the breadcrumb. */
  name: string;
  /** The name with where it lives, for the incident's line of facts. */
  where: string;
  /** A chart of the incident, when its owner has one (a deployment's page does). */
  chart: ((open: boolean, incidentId: string) => string) | null;
}

export function ownerLink(d: OwnedBy): OwnerLink {
  if (d.deployment) {
    const { environment, slug } = d.deployment;
    const href = `/dashboard/d/${environment}/${slug}`;
    return {
      href,
      name: slug,
      where: `${slug} (${environment})`,
      chart: (open, id) => `${href}?range=${open ? "1h" : "24h"}&incident=${id}#alert`,
    };
  }
  const name = d.budget ? `budget "${d.budget.name}"` : "deleted owner";
  return {
    href: d.budget ? `/dashboard/spend#budget-${d.budget.id}` : "/dashboard/spend",
    name,
    where: name,
    chart: null,
  };
}
