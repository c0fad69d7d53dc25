// Turns a request body into validated events and per-event rejections. Pure: the
// caller supplies the receive time. Good events never depend on bad neighbours.
import type { z } from "../zod";
import {
  EvalEventSchema,
  type EventInput,
  FeedbackEventSchema,
  InteractionEventSchema,
  MAX_FUTURE_MS,
  MAX_LATENESS_MS,
} from "./event-schema";
import { isPlainlyValidEval, isPlainlyValidInteraction } from "./fast-validate";

export const MAX_EVENTS_PER_REQUEST = 1_000;

/** How many field errors one rejected event reports at most. */
export const MAX_ISSUES_PER_EVENT = 10;

export interface FieldIssue {
  path: string;
  message: string;
}

export interface Rejection {
  index: number;
  code:
    | "invalid_event"
    | "timestamp_in_future"
    | "timestamp_too_old"
    | "deployment_limit"
    | "deployment_not_allowed";
  /** The first (or only) problem; `issues` lists every one. */
  path: string;
  message: string;
  /** Each field error of an invalid event, first MAX_ISSUES_PER_EVENT of them. */
  issues?: FieldIssue[];
}

export interface ValidEvent {
  index: number;
  event: EventInput;
  ts: number;
}

export type BatchShape =
  | { ok: true; items: unknown[] }
  | { ok: false; code: "invalid_json" | "bad_request" | "payload_too_large"; message: string };

/** Accepts one event, an array of events, or `{events: [...]}`. */
export function splitBody(text: string): BatchShape {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, code: "invalid_json", message: `Body is not valid JSON: ${detail}` };
  }
  let items: unknown[];
  if (Array.isArray(body)) items = body;
  else if (body !== null && typeof body === "object" && "events" in body) {
    const extra = Object.keys(body).filter((k) => k !== "events");
    if (extra.length > 0) {
      return {
        ok: false,
        code: "bad_request",
        message: `Unknown field "${extra[0]}" beside "events"`,
      };
    }
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events)) {
      return { ok: false, code: "bad_request", message: '"events" must be an array' };
    }
    items = events;
  } else if (body !== null && typeof body === "object") items = [body];
  else
    return {
      ok: false,
      code: "bad_request",
      message: "Body must be an event, an array, or {events: [...]}",
    };
  if (items.length === 0) return { ok: false, code: "bad_request", message: "No events in body" };
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    return {
      ok: false,
      code: "payload_too_large",
      message: `${items.length} events in one request; the limit is ${MAX_EVENTS_PER_REQUEST}`,
    };
  }
  return { ok: true, items };
}

/** Every issue as path + message (an unknown key is one issue per key), at most `max`. */
function issuesOf(error: z.ZodError, max = MAX_ISSUES_PER_EVENT): FieldIssue[] {
  const issues = error.issues.flatMap((issue): FieldIssue[] =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          path: [...issue.path, key].map(String).join("."),
          message: `unknown field "${key}"`,
        }))
      : [{ path: issue.path.map(String).join("."), message: issue.message }],
  );
  return issues.slice(0, max);
}

function invalid(index: number, error: z.ZodError): Rejection {
  const issues = issuesOf(error);
  const first = issues[0] ?? { path: "", message: "invalid event" };
  return { index, code: "invalid_event", ...first, issues };
}

export function parseTimestamp(ts: number | string | undefined, receivedAt: number): number {
  if (ts === undefined) return receivedAt;
  return typeof ts === "number" ? ts : Date.parse(ts);
}

// NOTE: zod drops a "__proto__" record key without a word (it would replace the prototype);
// refuse it instead, so that no tag or score a client sent disappears.
function prototypeKeyPath(item: unknown): string | undefined {
  if (item === null || typeof item !== "object") return undefined;
  for (const field of ["tags", "evals"] as const) {
    const record = (item as Record<string, unknown>)[field];
    if (record !== null && typeof record === "object" && Object.hasOwn(record, "__proto__"))
      return `${field}.__proto__`;
  }
  return undefined;
}

/** Validates each item on its own; returns the good ones with their resolved ts. */
export function validateEvents(items: unknown[], receivedAt: number) {
  const valid: ValidEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const reservedPath = prototypeKeyPath(item);
    if (reservedPath !== undefined) {
      const message = "__proto__ is not allowed as a name";
      const issue = { path: reservedPath, message };
      rejected.push({ index, code: "invalid_event", ...issue, issues: [issue] });
      return;
    }
    const type = item !== null && typeof item === "object" ? (item as { type?: unknown }).type : 0;
    const result = isPlainlyValidInteraction(item)
      ? { success: true as const, data: item }
      : type === "feedback"
        ? FeedbackEventSchema.safeParse(item)
        : type === "eval"
          ? isPlainlyValidEval(item)
            ? { success: true as const, data: item }
            : EvalEventSchema.safeParse(item)
          : InteractionEventSchema.safeParse(item);
    if (!result.success) {
      rejected.push(invalid(index, result.error));
      return;
    }
    const ts = parseTimestamp(result.data.ts, receivedAt);
    if (ts > receivedAt + MAX_FUTURE_MS) {
      rejected.push({
        index,
        code: "timestamp_in_future",
        path: "ts",
        message: `ts is more than ${MAX_FUTURE_MS / 60_000} minutes in the future`,
      });
    } else if (ts < receivedAt - MAX_LATENESS_MS) {
      rejected.push({
        index,
        code: "timestamp_too_old",
        path: "ts",
        message: `ts is older than the accepted lateness of ${MAX_LATENESS_MS / 86_400_000} days`,
      });
    } else valid.push({ index, event: result.data, ts });
  });
  return { valid, rejected };
}
