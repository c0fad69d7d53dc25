// A fast path in front of zod for the common case: an interaction event that is
// plainly valid. It only ever answers "certainly valid" or "ask zod": anything it is
// unsure of (ISO timestamps, odd shapes, every invalid event) goes to the schema,
// which stays the contract and the source of every error message. A property test
// checks that whatever passes here also passes InteractionEventSchema.
// NOTE: zod cannot compile its validators in Workers (no eval), which makes it
// ~20-50 µs per event; this check is ~1 µs.
import type { EvalEventInput, InteractionEventInput } from "./event-schema";
import {
  MAX_COST_USD,
  MAX_DURATION_MS,
  MAX_EVAL_MAGNITUDE,
  MAX_ID_CHARS,
  MAX_IDENT_CHARS,
  MAX_KEY_CHARS,
  MAX_LABEL_CHARS,
  MAX_OUTPUT_CHARS,
  MAX_RECORD_KEYS,
  MAX_RETRIEVAL_HITS,
  MAX_TOKENS,
  SLUG_PATTERN,
  STATUSES,
} from "./field-bounds";

const STATUS: ReadonlySet<string> = new Set(STATUSES);

type Check = (v: unknown) => boolean;
const text =
  (max: number): Check =>
  (v) =>
    typeof v === "string" && v.length >= 1 && v.length <= max;
const label = text(MAX_LABEL_CHARS);
const slug: Check = (v) => typeof v === "string" && SLUG_PATTERN.test(v);
// NOTE: comparisons are false for NaN, so `between` also refuses NaN (and ±Infinity by the bounds).
const between =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === "number" && v >= min && v <= max;
const count =
  (max: number): Check =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
const unit = between(0, 1);
const hits = count(MAX_RETRIEVAL_HITS);
const bool: Check = (v) => typeof v === "boolean";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

function record(value: Check): Check {
  return (v) => {
    if (!isPlainObject(v)) return false;
    const keys = Object.keys(v);
    if (keys.length > MAX_RECORD_KEYS) return false;
    return keys.every(
      (k) => k.length >= 1 && k.length <= MAX_KEY_CHARS && k !== "__proto__" && value(v[k]),
    );
  };
}

const scores = record(between(-MAX_EVAL_MAGNITUDE, MAX_EVAL_MAGNITUDE));
/** Epoch ms only; ISO strings take the schema's path. */
const epochMs: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;

// A Map, not an object: keys such as "toString" or "__proto__" must not find anything.
const FIELDS = new Map<string, Check>(
  Object.entries({
    type: (v) => v === "interaction",
    id: text(MAX_ID_CHARS),
    deployment: slug,
    environment: slug,
    ts: epochMs,
    model: label,
    provider: label,
    prompt_version: label,
    release: label,
    latency_ms: between(0, MAX_DURATION_MS),
    ttft_ms: between(0, MAX_DURATION_MS),
    status: (v) => typeof v === "string" && STATUS.has(v),
    error_type: label,
    input_tokens: count(MAX_TOKENS),
    output_tokens: count(MAX_TOKENS),
    cache_read_input_tokens: count(MAX_TOKENS),
    cache_creation_input_tokens: count(MAX_TOKENS),
    reasoning_output_tokens: count(MAX_TOKENS),
    cost_usd: between(0, MAX_COST_USD),
    output_chars: count(MAX_OUTPUT_CHARS),
    finish_reason: label,
    feedback: (v) => v === -1 || v === 0 || v === 1,
    rating: unit,
    escalated: bool,
    unanswered: bool,
    retrieval: (v) =>
      isPlainObject(v) &&
      Object.keys(v).every((k) =>
        k === "top_score" ? unit(v[k]) : k === "hits" ? hits(v[k]) : false,
      ),
    evals: scores,
    tags: record((v) => typeof v === "string" && v.length <= MAX_LABEL_CHARS),
    user: text(MAX_IDENT_CHARS),
    session: text(MAX_IDENT_CHARS),
  } satisfies Record<string, Check>),
);

/** True only when `item` is certainly a valid v1 interaction event. */
export function isPlainlyValidInteraction(item: unknown): item is InteractionEventInput {
  if (!isPlainObject(item) || !slug(item.deployment)) return false;
  for (const key of Object.keys(item)) {
    const check = FIELDS.get(key);
    if (!check?.(item[key])) return false;
  }
  return true;
}

const EVAL_FIELDS = new Map<string, Check>(
  Object.entries({
    type: (v) => v === "eval",
    id: text(MAX_ID_CHARS),
    ref: text(MAX_ID_CHARS),
    deployment: slug,
    environment: slug,
    ts: epochMs,
    evals: (v) => scores(v) && Object.keys(v as object).length >= 1,
  } satisfies Record<string, Check>),
);

/** True only when `item` is certainly a valid eval event (what /v1/logs sends in bulk). */
export function isPlainlyValidEval(item: unknown): item is EvalEventInput {
  if (!isPlainObject(item) || item.type !== "eval" || !slug(item.deployment)) return false;
  if (!text(MAX_ID_CHARS)(item.ref) || item.evals === undefined) return false;
  for (const key of Object.keys(item)) {
    const check = EVAL_FIELDS.get(key);
    if (!check?.(item[key])) return false;
  }
  return true;
}
