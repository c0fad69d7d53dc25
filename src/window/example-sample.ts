// Example events per outcome (thumbs-down, error, …), so an incident can show a few of the
// events behind it. A bottom-k sample: of the interactions with an outcome, the
// EXAMPLES_PER_OUTCOME whose event id hashes lowest (src/window/distinct-count.ts's hash32).
// The ids' hashes are uniform, so the kept events are a uniform random sample of the
// outcome's; the same rule applied to a union keeps the same events, so samples merge
// exactly (minute into hour, batch into batch) and a redelivered copy never counts twice.
// Only non-text fields are kept: ids, time, status, the segment fields and tags; never
// prompt or answer text. At most 7 outcomes × 10 examples of ~0.3 KB (tags capped by
// ingest) per row, ~20 KB, typically far less.
import type { NormalizedEvent, NormalizedInteraction } from "../ingest/normalized";
import { hourOf } from "../shared/time";
import { hash32 } from "./distinct-count";

export const EXAMPLES_PER_OUTCOME = 10;

export const EXAMPLE_OUTCOMES = [
  "error",
  "timeout",
  "refused",
  "filtered",
  "escalated",
  "unanswered",
  "feedback_down",
] as const;
export type ExampleOutcome = (typeof EXAMPLE_OUTCOMES)[number];

export interface ExampleEvent {
  id: string;
  ts: number;
  status: NormalizedInteraction["status"];
  model?: string;
  provider?: string;
  prompt_version?: string;
  release?: string;
  finish_reason?: string;
  tags?: Record<string, string>;
}

export type ExampleSample = Partial<Record<ExampleOutcome, ExampleEvent[]>>;

export function outcomesOf(e: NormalizedInteraction): ExampleOutcome[] {
  const out: ExampleOutcome[] = [];
  if (e.status !== "ok") out.push(e.status);
  if (e.escalated) out.push("escalated");
  if (e.unanswered) out.push("unanswered");
  if (e.feedback === -1) out.push("feedback_down");
  return out;
}

/** The event's non-text fields, whitelisted: nothing else can reach a sample. */
export function exampleOf(e: NormalizedInteraction): ExampleEvent {
  const out: ExampleEvent = { id: e.id, ts: e.ts, status: e.status };
  for (const f of ["model", "provider", "prompt_version", "release", "finish_reason"] as const) {
    const v = e[f];
    if (v !== undefined) out[f] = v;
  }
  if (e.tags) out.tags = { ...e.tags };
  return out;
}

function keep(into: ExampleEvent[], add: ExampleEvent): void {
  if (into.some((x) => x.id === add.id)) return;
  into.push(add);
  into.sort((a, b) => hash32(a.id) - hash32(b.id) || (a.id < b.id ? -1 : 1));
  if (into.length > EXAMPLES_PER_OUTCOME) into.length = EXAMPLES_PER_OUTCOME;
}

/** Offers one event to the sample of each of its outcomes. */
export function addExampleEvent(s: ExampleSample, e: NormalizedEvent): ExampleSample {
  if (e.type !== "interaction") return s;
  for (const outcome of outcomesOf(e)) {
    const list = s[outcome] ?? [];
    keep(list, exampleOf(e));
    s[outcome] = list;
  }
  return s;
}

/** Adds `from` into `into`: the sample of the union. */
export function mergeExamples(into: ExampleSample, from: ExampleSample): ExampleSample {
  for (const outcome of EXAMPLE_OUTCOMES) {
    for (const e of from[outcome] ?? []) {
      const list = into[outcome] ?? [];
      keep(list, e);
      into[outcome] = list;
    }
  }
  return into;
}

/** The examples of an outcome within one segment ("" dimension: all), at most `limit`. */
export function examplesIn(
  s: ExampleSample,
  outcome: ExampleOutcome,
  dimension: string,
  value: string,
  limit = EXAMPLES_PER_OUTCOME,
): ExampleEvent[] {
  const match = (e: ExampleEvent) => {
    if (dimension === "") return true;
    if (dimension.startsWith("tags.")) return e.tags?.[dimension.slice(5)] === value;
    const field = dimension as
      | "model"
      | "provider"
      | "prompt_version"
      | "release"
      | "finish_reason";
    return e[field] === value;
  };
  return (s[outcome] ?? []).filter(match).slice(0, limit);
}

/** The events' samples per 1-hour start (epoch ms); hours without an outcome are absent. */
export function exampleHours(events: Iterable<NormalizedEvent>): Map<number, ExampleSample> {
  const byHour = new Map<number, ExampleSample>();
  for (const e of events) {
    if (e.type !== "interaction" || outcomesOf(e).length === 0) continue;
    const start = hourOf(e.ts);
    byHour.set(start, addExampleEvent(byHour.get(start) ?? {}, e));
  }
  return byHour;
}
