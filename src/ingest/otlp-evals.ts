// Evaluation scores on a GenAI span (semantic-convention `gen_ai.evaluation.result` events
// or attributes, and `gen_ai.evaluation.<name>[.score]` numbers) → the event's `evals`.

import type { Attrs, AttrValue } from "./otlp-schema";
import { asNumber } from "./otlp-values";

const PREFIX = "gen_ai.evaluation.";
/** Semantic-convention attributes under the prefix that are not scores of their own. */
const RESERVED = new Set(["name", "score.value", "score.label", "explanation", "response.id"]);
export const MAX_EVALS = 16;

/** Eval names become record keys: 1–64 characters from [A-Za-z0-9_.:-]. */
export function sanitizeEvalName(raw: string): string | undefined {
  const s = raw
    .trim()
    .replace(/[^\w.:-]+/g, "_")
    .slice(0, 64);
  return s === "" ? undefined : s;
}

/**
 * Named results (`gen_ai.evaluation.name` + `gen_ai.evaluation.score.value`, on span events
 * or the span itself) come first, then numeric `gen_ai.evaluation.*` attributes; the first
 * score for a name wins and at most 16 are kept.
 */
export function collectEvals(
  attrs: Attrs,
  events: readonly Attrs[],
): Record<string, number> | undefined {
  const evals = new Map<string, number>();
  const add = (rawName: AttrValue, rawScore: AttrValue) => {
    const name = typeof rawName === "string" ? sanitizeEvalName(rawName) : undefined;
    const score = asNumber(rawScore);
    if (name === undefined || score === undefined) return;
    if (evals.size < MAX_EVALS && !evals.has(name)) evals.set(name, score);
  };
  for (const source of [...events, attrs]) {
    add(source.get(`${PREFIX}name`), source.get(`${PREFIX}score.value`));
  }
  for (const [key, value] of attrs) {
    if (!key.startsWith(PREFIX) || typeof value !== "number") continue;
    const rest = key.slice(PREFIX.length);
    if (!RESERVED.has(rest))
      add(rest.endsWith(".score") ? rest.slice(0, -".score".length) : rest, value);
  }
  return evals.size > 0 ? Object.fromEntries(evals) : undefined;
}
