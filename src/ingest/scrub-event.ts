// What `drop_pii_tags` removes from one event, beyond tag values: every free-text field that
// is stored or shown. Pure: the caller hashes the values to replace (scrub-batch.ts).
//   - a tag goes when its key or its value looks like personal data;
//   - an eval goes when its name does;
//   - `id`, `ref` and the labels (model, provider, prompt_version, release, error_type,
//     finish_reason) are replaced by `pii-<keyed hash>`: the same value always becomes the
//     same text, so copies are still recognised, a feedback's `ref` still finds its
//     interaction's `id`, and releases still tell apart, while the value itself is gone.
// `deployment` and `environment` are slugs (lower-case letters, digits, `-_.`): they cannot
// hold an email address, and a project names its deployments itself.

import { detectPii, withoutPiiTags } from "../privacy/pii";
import type { EventInput } from "./event-schema";

export const LABEL_FIELDS = [
  "model",
  "provider",
  "prompt_version",
  "release",
  "error_type",
  "finish_reason",
] as const;

const looksPersonal = (value: string) => detectPii(value) !== null;

/** The values of `event` that scrubEvent replaces: its ids and labels that look personal. */
export function valuesToReplace(event: EventInput): string[] {
  const out: string[] = [];
  if (event.id !== undefined && looksPersonal(event.id)) out.push(event.id);
  if (event.type === "feedback" || event.type === "eval") {
    if (looksPersonal(event.ref)) out.push(event.ref);
    return out;
  }
  for (const field of LABEL_FIELDS) {
    const value = event[field];
    if (value !== undefined && looksPersonal(value)) out.push(value);
  }
  return out;
}

export interface ScrubbedEvent {
  event: EventInput;
  tagsDropped: number;
  fieldsRedacted: number;
}

function withoutPersonalNames(evals: Readonly<Record<string, number>>) {
  const kept: Record<string, number> = {};
  let dropped = 0;
  for (const [name, score] of Object.entries(evals)) {
    if (looksPersonal(name)) dropped++;
    else kept[name] = score;
  }
  return { kept, dropped };
}

/**
 * `event` without personal data. `replacement` maps each value of valuesToReplace(event) to
 * its stand-in; the event is returned as it was when nothing matched.
 */
export function scrubEvent(
  event: EventInput,
  replacement: ReadonlyMap<string, string>,
): ScrubbedEvent {
  const swap = (value: string) => replacement.get(value) ?? value;
  let fieldsRedacted = 0;
  const id = event.id === undefined ? undefined : swap(event.id);
  if (id !== event.id) fieldsRedacted++;
  if (event.type === "feedback") {
    const ref = swap(event.ref);
    if (ref !== event.ref) fieldsRedacted++;
    if (fieldsRedacted === 0) return { event, tagsDropped: 0, fieldsRedacted };
    return {
      event: { ...event, ref, ...(id === undefined ? {} : { id }) },
      tagsDropped: 0,
      fieldsRedacted,
    };
  }
  if (event.type === "eval") {
    // A late eval: its ref and id as for feedback, its score names as on an interaction.
    const ref = swap(event.ref);
    if (ref !== event.ref) fieldsRedacted++;
    const evals = withoutPersonalNames(event.evals);
    fieldsRedacted += evals.dropped;
    if (fieldsRedacted === 0) return { event, tagsDropped: 0, fieldsRedacted };
    return {
      event: { ...event, ref, evals: evals.kept, ...(id === undefined ? {} : { id }) },
      tagsDropped: 0,
      fieldsRedacted,
    };
  }
  const out = { ...event, ...(id === undefined ? {} : { id }) };
  for (const field of LABEL_FIELDS) {
    const value = event[field];
    if (value === undefined) continue;
    const swapped = swap(value);
    if (swapped !== value) {
      out[field] = swapped;
      fieldsRedacted++;
    }
  }
  let tagsDropped = 0;
  if (event.tags) {
    const tags = withoutPiiTags(event.tags);
    tagsDropped = tags.dropped;
    if (tags.dropped > 0) out.tags = tags.tags;
  }
  if (event.evals) {
    const evals = withoutPersonalNames(event.evals);
    fieldsRedacted += evals.dropped;
    if (evals.dropped > 0) out.evals = evals.kept;
  }
  if (tagsDropped === 0 && fieldsRedacted === 0) return { event, tagsDropped, fieldsRedacted };
  return { event: out, tagsDropped, fieldsRedacted };
}
