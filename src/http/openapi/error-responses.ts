// The error envelope as a schema, and the error answers each route documents.
import { z } from "../../zod";
import { ERROR_CODES, type ErrorCode } from "../errors";

const codes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(codes),
      message: z.string().meta({ description: "What went wrong and how to fix it" }),
      requestId: z.string().meta({ description: "Quote it when asking for help (cf-ray)" }),
      details: z.unknown().optional().meta({
        description:
          "Validation failures: `issues`, one `{path, message}` per field (path like `events.3.latency_ms`)",
      }),
    }),
  })
  .meta({ id: "Error", description: "Every error answer has this shape" });

export const ERROR_STATUSES = {
  400: "Invalid request: `error.details.issues` names each field path and what is wrong with it",
  401: "Missing, malformed, unknown, revoked or expired API key",
  403: "The key lacks the scope, belongs to another project, or the Origin is not allowed",
  404: "No such resource in the caller's project",
  409: "Conflicts with the current state (the message says which)",
  413: "Request body or batch too large",
  415: "Wrong Content-Type: this route takes `application/json`",
  429: "Rate limited: retry after the `Retry-After` header's seconds",
  500: "Internal error (logged with the request id)",
  503: "Temporarily unavailable: retry after the `Retry-After` header's seconds",
} as const;
export type ErrorStatus = keyof typeof ERROR_STATUSES;

export interface ErrorResponse {
  description: string;
  content: { "application/json": { schema: typeof ErrorSchema } };
}
export type ErrorResponses<S extends ErrorStatus> = { [K in S]: ErrorResponse };

export function errorResponses<S extends ErrorStatus>(statuses: readonly S[]): ErrorResponses<S> {
  const entries = statuses.map((status) => [
    status,
    {
      description: ERROR_STATUSES[status],
      content: { "application/json": { schema: ErrorSchema } },
    },
  ]);
  return Object.fromEntries(entries) as ErrorResponses<S>;
}
