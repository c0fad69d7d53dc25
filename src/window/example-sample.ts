// Example events per outcome (thumbs-down, error, …), so an incident can show a few of the
// events behind it. A bottom-k sample: of the interactions with an outcome, the
// EXAMPLES_PER_OUTCOME whose event id hashes lowest (src/window/distinct-count.ts's hash32),
// and besides them, per segment value (model=…, locale=…: the segment fields and tags an
// example carries), the EXAMPLES_PER_SEGMENT lowest of that value's, so the segment an
// incident names has examples even where it holds a small part of the outcome's events.
// The ids' hashes are uniform, so the kept events of an outcome or of a segment are a
// uniform random sample of its; the same rule applied to a union keeps the same events, so
// samples merge exactly (minute into hour, batch into batch) and a redelivered copy never
// counts twice. Past MAX_EXAMPLES_KEPT an outcome keeps its lowest hashes of those chosen
// (the segments with most such events hash lowest), and a merge may then keep others.
// Only non-text fields are kept: ids, time, status, the segment fields and tags; never
// prompt or answer text. At most 7 outcomes × 30 examples of ~0.3 KB (tags capped by
// ingest) per row, ~63 KB, typically a few KB.
import type { NormalizedEvent, NormalizedInteraction } from "../ingest/normalized";
import { hourOf } from "../shared/time";
import { hash32 } from "./distinct-count";
import { SEGMENT_FIELDS } from "./segment-counts";

export const EXAMPLES_PER_OUTCOME = 10;
/** Kept per segment value besides the outcome's lowest: a small segment still shows some. */
export const EXAMPLES_PER_SEGMENT = 5;
/** At most this many examples of an outcome in one sample. */
export const MAX_EXAMPLES_KEPT = 30;

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

/** The segment values an example belongs to ("model\u0000gpt-4o", "tags.locale\u0000ja"). */
function segmentsOf(e: ExampleEvent): string[] {
  const out: string[] = [];
  for (const f of SEGMENT_FIELDS) {
    const v = e[f];
    if (v !== undefined) out.push(`${f}\u0000${v}`);
  }
  for (const [k, v] of Object.entries(e.tags ?? {})) out.push(`tags.${k}\u0000${v}`);
  return out;
}

/**
 * Adds `add` to an outcome's list and keeps, in hash order, the events among the
 * EXAMPLES_PER_OUTCOME lowest of all or the EXAMPLES_PER_SEGMENT lowest of any of their
 * segment values, at most MAX_EXAMPLES_KEPT.
 */
function keep(into: ExampleEvent[], add: readonly ExampleEvent[]): ExampleEvent[] {
  const all = [...into, ...add]
    .map((e) => ({ e, h: hash32(e.id) }))
    .sort((a, b) => a.h - b.h || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  const seen = new Map<string, number>();
  const out: ExampleEvent[] = [];
  let rank = 0;
  for (const [i, { e }] of all.entries()) {
    if (out.length >= MAX_EXAMPLES_KEPT) break;
    if (e.id === all[i - 1]?.e.id) continue; // a copy: adjacent once sorted
    let wanted = rank++ < EXAMPLES_PER_OUTCOME;
    for (const segment of segmentsOf(e)) {
      const n = seen.get(segment) ?? 0;
      if (n < EXAMPLES_PER_SEGMENT) wanted = true;
      seen.set(segment, n + 1);
    }
    if (wanted) out.push(e);
  }
  return out;
}

/** Offers one event to the sample of each of its outcomes. */
export function addExampleEvent(s: ExampleSample, e: NormalizedEvent): ExampleSample {
  if (e.type !== "interaction") return s;
  for (const outcome of outcomesOf(e)) s[outcome] = keep(s[outcome] ?? [], [exampleOf(e)]);
  return s;
}

/** Adds `from` into `into`: the sample of the union. */
export function mergeExamples(into: ExampleSample, from: ExampleSample): ExampleSample {
  for (const outcome of EXAMPLE_OUTCOMES) {
    const add = from[outcome];
    if (add?.length) into[outcome] = keep(into[outcome] ?? [], add);
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
