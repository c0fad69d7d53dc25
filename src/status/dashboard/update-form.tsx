// The form an admin writes an incident update with (status and plain text); it posts to
// /dashboard/incidents/{id}/update with the session's CSRF token, like acknowledge.
import { MAX_UPDATE_CHARS } from "../../alerts/incidents/update-text";
import { INCIDENT_UPDATE_STATUSES } from "../../db/schema";
import { UPDATE_LABELS } from "../written-updates";

export function UpdateForm({
  id,
  csrf,
  back,
  text,
}: {
  id: string;
  csrf: string;
  back: string;
  /** What was typed before a refusal, kept for the retry. */
  text?: string | undefined;
}) {
  return (
    <form method="post" action={`/dashboard/incidents/${id}/update`} class="update">
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="back" value={back} />
      <label class="sr" for={`update-status-${id}`}>
        Status
      </label>
      <select id={`update-status-${id}`} name="status">
        {INCIDENT_UPDATE_STATUSES.map((s) => (
          <option value={s}>{UPDATE_LABELS[s]}</option>
        ))}
      </select>
      <label class="sr" for={`update-text-${id}`}>
        Update for the public status page
      </label>
      <textarea
        id={`update-text-${id}`}
        name="text"
        rows={2}
        maxlength={MAX_UPDATE_CHARS}
        required
        placeholder="Update for the status page (plain text)"
      >
        {text ?? ""}
      </textarea>
      <button type="submit">Post update</button>
    </form>
  );
}
