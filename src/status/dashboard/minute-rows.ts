// The 1-hour and 2-hour charts' rows (pure): one per minute, from the Durable Object's
// 1-minute buckets summarised, in the shape the hourly rollups give the longer ranges, so
// one chart code draws both.
import type { WindowSummary } from "../../window/summary";
import type { HourRow } from "./series";

export function minuteRow(start: number, s: WindowSummary): HourRow {
  const d = s.distributions;
  return {
    bucketStart: start,
    count: s.count,
    errorCount: s.status.error,
    feedbackUp: s.feedback.up,
    feedbackDown: s.feedback.down,
    latencyP50: d.latency_ms.p50,
    latencyP95: d.latency_ms.p95,
    costUsd: s.cost.total_usd,
    ttftP95: d.ttft_ms.p95,
    escalated: s.rates.escalated,
    outputP50: d.output_chars.p50,
    retrievalP50: d.retrieval_top_score.p50,
    evals: Object.fromEntries(Object.entries(d.evals).map(([k, v]) => [k, v.mean])),
  };
}
