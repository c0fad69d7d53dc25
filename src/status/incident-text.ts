// How incidents read on the public page: a visitor-facing title per metric (quality, not
// just uptime), and the release implicated.
import { type ReleaseRow, ROLLING_BASELINE_MS } from "../alerts/evaluation/baseline-ranges";

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
  // A synthetic probe (src/probes) failing its known question.
  probe: "Synthetic check failing",
};

/** The title a visitor reads for an incident on this metric. */
export function publicTitle(metric: string | null | undefined): string {
  if (!metric) return "Quality degraded";
  if (metric.startsWith("evals.")) return `Lower ${metric.slice(6).replaceAll("_", " ")} scores`;
  if (metric.startsWith("tags.")) return `Shift in ${metric.slice(5).replaceAll("_", " ")} mix`;
  return PUBLIC_TITLES[metric] ?? "Quality degraded";
}

export interface ReleaseChangeView {
  /** Only what changed, e.g. "prompt v13 → v14" or "model a → b, prompt 3 → 4". */
  summary: string;
  at: number;
  /** The fields that changed, for the page's other languages; values only when `labelled`. */
  changes: { field: ReleaseField; from?: string; to?: string }[];
  /** The page shows the client-set release labels (`show_release_labels`). */
  labelled: boolean;
}

export type ReleaseField = (typeof FIELDS)[number][1];

const FIELDS = [
  ["release", "release"],
  ["promptVersion", "prompt"],
  ["model", "model"],
  ["provider", "provider"],
] as const;

export type ReleaseLike = Pick<
  ReleaseRow,
  "release" | "promptVersion" | "model" | "provider" | "firstSeen"
>;

/** What changed between two releases: all fields ("prompt v13 → v14, model a → b") and a flag label. */
export function releaseDiff(
  previous: ReleaseLike,
  next: ReleaseLike,
): { summary: string; short: string } {
  const changed = FIELDS.filter(([k]) => next[k] !== previous[k]);
  const summary = changed
    .map(([k, label]) => `${label} ${previous[k] || "none"} → ${next[k] || "none"}`)
    .join(", ");
  const first = changed[0];
  return {
    summary: summary || "a new release",
    short: first ? `${first[1]} ${next[first[0]] || "none"}` : "release",
  };
}

/** Which fields changed, without their client-set values: "a prompt and model change". */
export function unlabelledDiff(previous: ReleaseLike, next: ReleaseLike): string {
  const changed = FIELDS.filter(([k]) => next[k] !== previous[k]).map(([, label]) => label);
  if (changed.length === 0) return "a new release";
  const last = changed.pop();
  return `a ${changed.length > 0 ? `${changed.join(", ")} and ` : ""}${last} change`;
}

/**
 * The release change that preceded an incident: the newest combination first seen before
 * it (within the rolling baseline), against the one live just before it (the one last seen
 * most recently, which after a rollback is not the newest). null when nothing changed.
 * Without `labels`, the summary names the fields that changed, not their values.
 */
export function implicatedChange(
  releases: readonly ReleaseRow[],
  startedAt: number,
  labels = true,
): ReleaseChangeView | null {
  const seen = releases
    .filter((r) => r.firstSeen <= startedAt)
    .sort((a, b) => a.firstSeen - b.firstSeen);
  const latest = seen.at(-1);
  const previous = seen
    .slice(0, -1)
    .reduce<ReleaseRow | undefined>((b, r) => (!b || r.lastSeen > b.lastSeen ? r : b), undefined);
  if (!latest || !previous || latest.firstSeen < startedAt - ROLLING_BASELINE_MS) return null;
  const summary = labels ? releaseDiff(previous, latest).summary : unlabelledDiff(previous, latest);
  const changes = FIELDS.filter(([k]) => latest[k] !== previous[k]).map(([k, field]) =>
    labels ? { field, from: previous[k] ?? "", to: latest[k] ?? "" } : { field },
  );
  return { summary, at: latest.firstSeen, changes, labelled: labels };
}

/** A release marker's label: what changed, shortest form first. */
export function releaseLabel(r: Pick<ReleaseRow, "release" | "promptVersion" | "model">): string {
  return (
    [r.release && `release ${r.release}`, r.promptVersion && `prompt ${r.promptVersion}`, r.model]
      .filter(Boolean)
      .join(" · ") || "unlabelled"
  );
}
