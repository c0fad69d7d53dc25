// How incidents read on the public page: a visitor-facing title per metric (quality, not
// just uptime), and the release implicated.
import { latestReleaseChange, type ReleaseRow } from "../alerts/baseline-ranges";

const PUBLIC_TITLES: Record<string, string> = {
  error_rate: "More failed answers",
  timeout_rate: "More answers timing out",
  refusal_rate: "More refused requests",
  filtered_rate: "More filtered answers",
  unanswered_rate: "More questions left unanswered",
  escalation_rate: "More conversations handed to a person",
  thumbs_down_rate: "More users unhappy with answers",
  latency_ms: "Slower answers",
  ttft_ms: "Slower first response",
  output_chars: "Answer length changed",
  output_tokens: "Answer length changed",
  retrieval_top_score: "Weaker document retrieval",
  model_mix: "Model in use changed",
  finish_reason_mix: "Answers ending differently",
  cost_per_request: "Higher cost per request",
  traffic: "Traffic dropped",
};

/** The title a visitor reads for an incident on this metric. */
export function publicTitle(metric: string | null | undefined): string {
  if (!metric) return "Quality degraded";
  if (metric.startsWith("evals.")) return `Lower ${metric.slice(6).replaceAll("_", " ")} scores`;
  if (metric.startsWith("tags.")) return `Shift in ${metric.slice(5).replaceAll("_", " ")} mix`;
  return PUBLIC_TITLES[metric] ?? "Quality degraded";
}

/** The release change that preceded the incident (within the rolling baseline), if any. */
export function implicatedRelease(releases: readonly ReleaseRow[], startedAt: number) {
  return latestReleaseChange(releases, startedAt + 1);
}

/** A release marker's label: what changed, shortest form first. */
export function releaseLabel(r: Pick<ReleaseRow, "release" | "promptVersion" | "model">): string {
  return (
    [r.release && `release ${r.release}`, r.promptVersion && `prompt ${r.promptVersion}`, r.model]
      .filter(Boolean)
      .join(" · ") || "unlabelled"
  );
}
