// The head every incident card of the dashboard opens with (a deployment's incidents and a
// probe's): title, a pill with its state and severity, and the message, if any.

export interface IncidentHeadFields {
  status: string;
  severity: string;
  ackedAt: number | null;
  resolvedAt: number | null;
  message: string | null;
}

/** The pill's word: Pending, Firing, Acknowledged or Resolved. */
export function incidentStateLabel(i: IncidentHeadFields): string {
  if (i.resolvedAt !== null) return "Resolved";
  if (i.status === "pending") return "Pending";
  return i.ackedAt ? "Acknowledged" : "Firing";
}

export function IncidentCardHead({ title, i }: { title: string; i: IncidentHeadFields }) {
  const open = i.resolvedAt === null;
  return (
    <>
      <div class="row">
        <h3>{title}</h3>
        <span class={open ? (i.severity === "critical" ? "pill open" : "pill warn") : "pill"}>
          {incidentStateLabel(i)} · {i.severity}
        </span>
      </div>
      {i.message ? (
        <p class="small" style="margin:.4rem 0 0">
          {i.message}
        </p>
      ) : null}
    </>
  );
}
