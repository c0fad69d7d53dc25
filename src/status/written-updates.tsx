// Updates a team wrote on an incident, as the public page shows them: a status label and the
// text as typed (JSX escapes it; `.timeline li` keeps its line breaks by CSS, never markup).
import { formatClock, isoSecond } from "./format";
import { useLabels } from "./i18n/context";
import type { WrittenUpdate } from "./page-model";

export const UPDATE_LABELS: Record<WrittenUpdate["status"], string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

/** A timeline entry's label and text: "Monitoring" and what the team wrote. */
export function UpdateText({ u }: { u: WrittenUpdate }) {
  return (
    <>
      <b>{useLabels().update[u.status]}</b> {u.text}
    </>
  );
}

/** A resolved incident's written updates, under its one line (its day is the heading). */
export function WrittenUpdates({ updates }: { updates: readonly WrittenUpdate[] }) {
  return (
    <ol class="timeline">
      {updates.map((u) => (
        <li id={`u-${u.id}`}>
          <time datetime={isoSecond(u.at)}>{formatClock(u.at)}</time>
          <UpdateText u={u} />
        </li>
      ))}
    </ol>
  );
}
