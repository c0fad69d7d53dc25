// The sentence that says why a notification is sent: which conditions decided. A rule fires
// only when all of its conditions hold, so a firing names them all and a resolve names the
// ones that failed, and says which still hold, so that a statistic past its threshold on a
// resolve never reads as a breach.

import type { NotificationKind } from "../delivery/notification-types";
import type { NoDataBehaviour } from "../incidents/incident-machine";
import { type CheckResult, conditionText } from "./check-result";

/** "a", "a and b", "a, b and c". */
function list(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export function explainNotification(
  check: Pick<CheckResult, "outcome" | "conditions" | "message">,
  kind: NotificationKind,
  noData: NoDataBehaviour,
): string {
  const conditions = check.conditions ?? [];
  if (kind === "resolved") {
    const failed = conditions.filter((c) => !c.holds);
    if (failed.length === 0) return `resolved: ${check.message}`;
    const held = conditions.filter((c) => c.holds);
    const still =
      held.length === 0
        ? ""
        : `. It fires only when every condition holds, and ${list(held.map(conditionText))} alone ${held.length === 1 ? "does" : "do"} not`;
    return `resolved because ${list(failed.map(conditionText))}${still}`;
  }
  const verb = kind === "repeat" ? "still firing" : "fired";
  if (check.outcome === "no_data") {
    const rule = noData === "keep" ? "keeps its last state without data" : "alerts on no data";
    return `${verb} because there is no data (${check.message}) and the rule ${rule}`;
  }
  if (check.outcome !== "breach" || conditions.length === 0) return `${verb}: ${check.message}`;
  return `${verb} because ${list(conditions.map(conditionText))}`;
}
