// When a probe's runs open or clear an incident. A failing run is a `fail` (an
// assertion failed) or an `error` (no answer could be judged: an endpoint that times
// out is as broken as one that answers wrong). The incident opens after `consecutive`
// failing runs in a row, or `failures` of the last `runs`, and resolves at the first
// run that passes again (a degraded run passes). A failing run that does not meet the
// condition yet changes nothing: it neither opens nor clears.
import type { RunOutcome } from "./assertions";
import type { AlertPolicy } from "./probe-schema";

export type ProbeSignal = "breach" | "ok" | "hold";

export const isFailing = (o: RunOutcome) => o === "fail" || o === "error";

/** `outcomes` newest first (the run just made is outcomes[0]). */
export function probeSignal(outcomes: readonly RunOutcome[], policy: AlertPolicy): ProbeSignal {
  const [latest] = outcomes;
  if (latest === undefined) return "hold";
  if (!isFailing(latest)) return "ok";
  const streak = outcomes.findIndex((o) => !isFailing(o));
  const inRow = streak < 0 ? outcomes.length : streak;
  if (inRow >= policy.consecutive) return "breach";
  if (policy.failures !== undefined && policy.runs !== undefined) {
    const failing = outcomes.slice(0, policy.runs).filter(isFailing).length;
    if (failing >= policy.failures) return "breach";
  }
  return "hold";
}

/** How many past outcomes the policy needs to see. */
export const historyNeeded = (p: AlertPolicy) => Math.max(p.consecutive, p.runs ?? 0);
