// The times an incident card states, one meaning per label: "pending since" is the first
// breach of the episode, "firing since" when it started firing (after its rule's `for`).
// Slack and webhooks use the same two labels (src/alerts/delivery/slack.ts).
import { formatDuration, formatWhen } from "../format";

export interface IncidentTimes {
  status: string;
  startedAt: number;
  firingAt: number | null;
  ackedAt: number | null;
  resolvedAt: number | null;
  silencedUntil: number | null;
}

/** The card's time line, e.g. "Firing since 2 Dec, 09:46 UTC (14 min) · pending since …". */
export function incidentTimesText(i: IncidentTimes, now: number): string {
  const parts: string[] = [];
  const open = i.resolvedAt === null;
  if (i.firingAt === null) {
    // Never fired: pending now, or cleared (resolved by hand) before its `for` elapsed.
    parts.push(`Pending since ${formatWhen(i.startedAt)}`);
    if (open) parts[0] += ` (${formatDuration(now - i.startedAt)})`;
  } else {
    parts.push(open ? `Firing since ${formatWhen(i.firingAt)}` : `Fired ${formatWhen(i.firingAt)}`);
    if (open) parts[0] += ` (${formatDuration(now - i.firingAt)})`;
    if (i.startedAt !== i.firingAt) parts.push(`pending since ${formatWhen(i.startedAt)}`);
  }
  if (i.ackedAt !== null) parts.push(`acknowledged ${formatWhen(i.ackedAt)}`);
  if (i.resolvedAt !== null) parts.push(`resolved ${formatWhen(i.resolvedAt)}`);
  if (i.silencedUntil !== null && i.silencedUntil > now) {
    parts.push(`silenced until ${formatWhen(i.silencedUntil)}`);
  }
  return parts.join(" · ");
}
