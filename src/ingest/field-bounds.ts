// Realistic upper bounds for the event contract's numeric fields, and its slug pattern and
// statuses: the one home of the limits the schema, its fast path, the OTLP mapping and
// the docs' table share (no zod here: the fast path and the Durable Object load it).
// Bounds keep every later sum (sketch sums, bucket counters) far from overflow: a
// finite but absurd value such as 1e308 would otherwise poison a deployment's window.

import { DAY_MS, MINUTE_MS } from "../shared/time";

/** Deployment and environment names (and other slugs): lower case, up to 64 characters. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9\-_.]{0,63}$/;
/** An interaction's outcome. */
export const STATUSES = ["ok", "error", "timeout", "refused", "filtered"] as const;

/** The accepted lateness: events older than this are rejected. */
export const MAX_LATENESS_MS = 7 * DAY_MS;
/** Clock skew tolerated for timestamps in the future. */
export const MAX_FUTURE_MS = 5 * MINUTE_MS;

/** 24 hours, in milliseconds: latency_ms and ttft_ms. */
export const MAX_DURATION_MS = 86_400_000;
/** Tokens per event (input_tokens, output_tokens and their cache and reasoning parts). */
export const MAX_TOKENS = 100_000_000;
/** Characters in one answer (output_chars). */
export const MAX_OUTPUT_CHARS = 100_000_000;
/** USD for one interaction (cost_usd). */
export const MAX_COST_USD = 10_000;
/** Retrieved chunks for one interaction (retrieval.hits). */
export const MAX_RETRIEVAL_HITS = 1_000_000;
/** Magnitude of a custom eval score (evals values lie in [-MAX_EVAL_MAGNITUDE, MAX_EVAL_MAGNITUDE]). */
export const MAX_EVAL_MAGNITUDE = 1_000_000_000;
/** Keys of `evals` and of `tags`. */
export const MAX_RECORD_KEYS = 16;
/** Length of a tag value, a label (model, provider, …) and a record key. */
export const MAX_LABEL_CHARS = 128;
export const MAX_KEY_CHARS = 64;
/** Length of an event id (and of a feedback's ref). */
export const MAX_ID_CHARS = 64;
/** Length of user and session identifiers (hashed before storage). */
export const MAX_IDENT_CHARS = 256;
