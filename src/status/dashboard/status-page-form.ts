// The status page settings form as the `status_page` body of PATCH /v1/projects/:id (pure):
// one row per deployment of the project (shown or not, its public name and group), the
// page's slug, title, description and switches; the probes already on the page are kept.
// StatusPageSettingsSchema then checks it; an issue's path maps back to its field.
import type { StatusPageSettings } from "../../projects/status-page-settings";

export type FormFields = Record<string, string>;

export interface DeploymentRow {
  environment: string;
  slug: string;
}

/** The body, and which form row each listed deployment came from (for errors). */
export function statusPageBody(
  form: FormFields,
  deployments: readonly DeploymentRow[],
  probes: StatusPageSettings["probes"],
): { body: Record<string, unknown>; rows: number[] } {
  const rows: number[] = [];
  const listed = deployments.flatMap((d, i) => {
    if (form[`d${i}_show`] !== "on") return [];
    rows.push(i);
    const group = (form[`d${i}_group`] ?? "").trim();
    return [
      {
        environment: d.environment,
        slug: d.slug,
        name: form[`d${i}_name`] ?? "",
        ...(group ? { group } : {}),
      },
    ];
  });
  const description = (form.description ?? "").trim();
  return {
    body: {
      enabled: form.enabled === "on",
      slug: (form.slug ?? "").trim(),
      title: form.title ?? "",
      ...(description ? { description } : {}),
      deployments: listed,
      ...(probes ? { probes } : {}),
      show_release_labels: form.show_release_labels === "on",
    },
    rows,
  };
}

/** The field an issue is shown beside: `deployments.1.name` → `d<row>_name`. */
export function statusFieldOf(path: readonly PropertyKey[], rows: readonly number[]): string {
  const [first, index, field] = path;
  if (first === "deployments" && typeof index === "number") {
    return `d${rows[index] ?? 0}_${field === "group" ? "group" : "name"}`;
  }
  return typeof first === "string" ? first : "_";
}

/** The stored settings as the form's values, one row per deployment of the project. */
export function statusPageValues(
  page: StatusPageSettings | null,
  deployments: readonly DeploymentRow[],
): FormFields {
  const out: FormFields = {
    slug: page?.slug ?? "",
    title: page?.title ?? "",
    description: page?.description ?? "",
  };
  if (page === null || page.enabled) out.enabled = "on";
  if (page?.show_release_labels) out.show_release_labels = "on";
  deployments.forEach((d, i) => {
    const shown = page?.deployments.find(
      (x) => x.environment === d.environment && x.slug === d.slug,
    );
    out[`d${i}_name`] = shown?.name ?? d.slug;
    out[`d${i}_group`] = shown?.group ?? "";
    if (shown) out[`d${i}_show`] = "on";
  });
  return out;
}
