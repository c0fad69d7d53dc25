// User feedback sent as an OpenTelemetry event (a log record or a span event) named
// `driftwatch.feedback`: docs/opentelemetry.md defines it.
import type { Attrs } from "./otlp-schema";
import { asNumber } from "./otlp-values";

export const FEEDBACK_EVENT = "driftwatch.feedback";
export const EVALUATION_EVENT = "gen_ai.evaluation.result";

export interface OtlpFeedback {
  feedback: -1 | 0 | 1;
  rating?: number;
}

/**
 * Thumbs from `driftwatch.feedback.value` (1, 0 or -1; "up"/"down" too) and an optional
 * `driftwatch.feedback.rating` in [0, 1]; undefined when the thumbs are missing or not one of those.
 */
export function feedbackOf(a: Attrs): OtlpFeedback | undefined {
  const raw = a.get("driftwatch.feedback.value");
  const value = raw === "up" ? 1 : raw === "down" ? -1 : asNumber(raw);
  if (value !== 1 && value !== 0 && value !== -1) return undefined;
  const rating = asNumber(a.get("driftwatch.feedback.rating"));
  return rating === undefined ? { feedback: value } : { feedback: value, rating };
}
