// One error class, one JSON envelope: {error: {code, message, requestId, details?}}.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { OperationError } from "../shared/operation-error";
import { z } from "../zod";
import type { AppEnv } from "./app-types";

export const ERROR_CODES = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** The deployment's configuration is unusable (e.g. PUBLIC_URL); the message says how to fix it. */
  misconfigured: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (Retry-After on 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(ERROR_CODES[code], { message });
  }
}

/** zod issue path → "events.3.latency_ms" style string ("" for the root). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/** Flattens zod issues; unrecognized keys become one issue per unknown field. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown field "${key}"`,
      }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/** 400 listing field issues, its message naming the first: "Invalid <what>: <path>: <message>". */
export function fieldIssuesError(issues: FieldIssue[], what = "request body"): ApiError {
  const first = issues[0];
  const summary = first ? `${first.path || what}: ${first.message}` : "invalid";
  return new ApiError("validation_failed", `Invalid ${what}: ${summary}`, { issues });
}

export function validationError(error: z.ZodError, what = "request body"): ApiError {
  return fieldIssuesError(zodIssues(error), what);
}

export function requestIdOf(c: Context<AppEnv>): string {
  return c.get("requestId") ?? c.req.header("cf-ray") ?? "unknown";
}

export function errorBody(code: string, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

/** A domain operation's refusal as the API's error (same code); anything else unchanged. */
export const asApiError = (thrown: unknown): unknown =>
  thrown instanceof OperationError ? new ApiError(thrown.code, thrown.message) : thrown;

/** The app's single onError: known errors keep their status, the rest are 500 and logged. */
export function handleError(thrown: Error, c: Context<AppEnv>): Response {
  const requestId = requestIdOf(c);
  const err = asApiError(thrown);
  if (err instanceof ApiError) {
    return c.json(
      errorBody(err.code, err.message, requestId, err.details),
      err.status,
      err.headers,
    );
  }
  if (err instanceof z.ZodError) {
    const api = validationError(err);
    return c.json(errorBody(api.code, api.message, requestId, api.details), 400);
  }
  if (err instanceof HTTPException) {
    const code = err.status === 404 ? "not_found" : err.status >= 500 ? "internal" : "bad_request";
    if (err.status >= 500) console.error("request failed", requestId, err);
    return c.json(errorBody(code, err.message, requestId), err.status);
  }
  console.error("unhandled error", requestId, err);
  return c.json(errorBody("internal", "Internal error", requestId), 500);
}
