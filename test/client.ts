// The typed test client: hono's `hc` over the app's route types, calling the Worker in-process.
// Request bodies, params and queries are checked against the routes' zod schemas, and
// `await res.json()` is typed by the status it was narrowed to (`if (res.status === 201)`).
import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import type { AppType } from "../src/app";
import { BASE } from "./helpers";

export function client(key?: string) {
  return hc<AppType>(BASE, {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      exports.default.fetch(new Request(input, init)),
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
}

interface AnyResponse {
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}
/** The JSON body a typed response has at `status` (unknown for a plain Response). */
type BodyAt<R extends AnyResponse, S> = [Extract<R, { status: S }>] extends [never]
  ? unknown
  : Awaited<ReturnType<Extract<R, { status: S }>["json"]>>;

/** The body of a response the test expects to have `status`, typed for that status. */
export async function expectStatus<R extends AnyResponse, S extends R["status"]>(
  res: R,
  status: S,
): Promise<BodyAt<R, S>> {
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as BodyAt<R, S>;
}

/** The field path of an error answer's first validation issue. */
export function issuePath(body: unknown): string | undefined {
  const error = (body as { error?: { details?: { issues?: { path: string }[] } } }).error;
  return error?.details?.issues?.[0]?.path;
}
