// A rule's preview (pure): what it would have done over past hours, re-run by the real
// evaluator on the deployment's stored 1-hour buckets against one fixed baseline (the 7 days
// before the previewed range). Coarser than the cron's minute-by-minute checks on purpose:
// each hour is one window (the rule's window_minutes is not used), and a firing is a run of
// breaching hours at least as long as the rule's for_minutes. CUSUM rules need the
// sequential detector's state and are not previewed.
import type { Bucket } from "../../window/bucket";
import type { Rule } from "../rules/rule-schema";
import type { CheckOutcome } from "./check-result";
import { evaluateRule } from "./evaluate";

export interface PreviewHour {
  start: number;
  current: Bucket;
}

export interface RulePreview {
  /** Set when the rule cannot be previewed (and nothing else is). */
  unsupported: string | null;
  /** Hours looked at, and those with enough data to decide. */
  hours: number;
  decided: number;
  breaches: number;
  /** Times it would have fired: runs of breaching hours covering for_minutes. */
  firings: number;
  /** Each hour's outcome, oldest first. */
  outcomes: { start: number; outcome: CheckOutcome }[];
}

const HOUR_MINUTES = 60;

export function previewRule(
  rule: Rule,
  hours: readonly PreviewHour[],
  baseline: { bucket: Bucket; minutes: number } | null,
): RulePreview {
  const empty = { hours: hours.length, decided: 0, breaches: 0, firings: 0, outcomes: [] };
  if (rule.test === "cusum") {
    return {
      ...empty,
      unsupported:
        "CUSUM rules depend on the sequential detector's running state and are not previewed",
    };
  }
  const outcomes = hours.map((h) => {
    let outcome: CheckOutcome;
    try {
      outcome = evaluateRule(rule, {
        current: h.current,
        baseline: baseline?.bucket ?? null,
        currentMinutes: HOUR_MINUTES,
        baselineMinutes: baseline?.minutes ?? 0,
      }).outcome;
    } catch {
      outcome = "insufficient_data";
    }
    return { start: h.start, outcome };
  });
  const needed = Math.max(1, Math.ceil(rule.for_minutes / HOUR_MINUTES));
  let run = 0;
  let firings = 0;
  for (const o of outcomes) {
    run = o.outcome === "breach" ? run + 1 : 0;
    if (run === needed) firings++;
  }
  return {
    unsupported: null,
    hours: hours.length,
    decided: outcomes.filter((o) => o.outcome === "ok" || o.outcome === "breach").length,
    breaches: outcomes.filter((o) => o.outcome === "breach").length,
    firings,
    outcomes,
  };
}
