// A fast path in front of zod for the common case: an interaction event that is
// plainly valid. It only ever answers "certainly valid" or "ask zod": anything it is
// unsure of (ISO timestamps, odd shapes, every invalid event) goes to the schema,
// which stays the contract and the source of every error message. A property test
// checks that whatever passes here also passes InteractionEventSchema.
// NOTE: zod cannot compile its validators in Workers (no eval), which makes it
// ~20-50 µs per event; this check is ~1 µs.
import type { InteractionEventInput } from "./event-schema";

const SLUG = /^[a-z0-9][a-z0-9\-_.]{0,63}$/;
const STATUS = new Set(["ok", "error", "timeout", "refused", "filtered"]);

type Check = (v: unknown) => boolean;
const label: Check = (v) => typeof v === "string" && v.length >= 1 && v.length <= 128;
const slug: Check = (v) => typeof v === "string" && SLUG.test(v);
const nonNegative: Check = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const unit: Check = (v) => typeof v === "number" && v >= 0 && v <= 1;
const bool: Check = (v) => typeof v === "boolean";
const ident: Check = (v) => typeof v === "string" && v.length >= 1 && v.length <= 256;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

function record(value: Check): Check {
  return (v) => {
    if (!isPlainObject(v)) return false;
    const keys = Object.keys(v);
    if (keys.length > 16) return false;
    return keys.every((k) => k.length >= 1 && k.length <= 64 && value(v[k]));
  };
}

// A Map, not an object: keys such as "toString" or "__proto__" must not find anything.
const FIELDS = new Map<string, Check>(
  Object.entries({
    type: (v) => v === "interaction",
    id: (v) => typeof v === "string" && v.length >= 1 && v.length <= 64,
    deployment: slug,
    environment: slug,
    // Epoch ms only; ISO strings take the schema's path.
    ts: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
    model: label,
    provider: label,
    prompt_version: label,
    release: label,
    latency_ms: nonNegative,
    ttft_ms: nonNegative,
    status: (v) => typeof v === "string" && STATUS.has(v),
    error_type: label,
    input_tokens: count,
    output_tokens: count,
    cost_usd: nonNegative,
    output_chars: count,
    finish_reason: label,
    feedback: (v) => v === -1 || v === 0 || v === 1,
    rating: unit,
    escalated: bool,
    unanswered: bool,
    retrieval: (v) =>
      isPlainObject(v) &&
      Object.keys(v).every((k) =>
        k === "top_score" ? unit(v[k]) : k === "hits" ? count(v[k]) : false,
      ),
    evals: record((v) => typeof v === "number" && Number.isFinite(v)),
    tags: record((v) => typeof v === "string" && v.length <= 128),
    user: ident,
    session: ident,
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
