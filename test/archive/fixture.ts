// Archive objects for tests, written straight into the real R2 binding with the shared
// layout, and read back as keys.
import { env } from "cloudflare:workers";
import {
  type ArchivedEvent,
  type DeploymentRef,
  encodeArchive,
  hourOfKey,
  objectKey,
} from "../../src/archive/layout";

/** A minimal archived interaction of `d` at `ts`. */
export const archived = (d: DeploymentRef, ts: number, id = `e-${ts}`): ArchivedEvent => ({
  type: "interaction",
  id,
  deployment: d.slug,
  environment: d.environment,
  ts,
  status: "ok",
  received_at: ts + 1,
});

/** Writes one object of `d` holding `events` (their hour is the first event's). */
export async function putArchive(
  d: DeploymentRef,
  events: ArchivedEvent[],
  first: number,
): Promise<string> {
  const key = objectKey(d, events[0]?.ts ?? 0, first, first + events.length - 1);
  await env.ARCHIVE.put(key, encodeArchive(events));
  return key;
}

/** Every key under `prefix`, in order. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await env.ARCHIVE.list({ prefix, cursor });
    keys.push(...page.objects.map((o) => o.key));
    if (!page.truncated) return keys;
    cursor = page.cursor;
  }
}

/** The ISO hour labels of keys, e.g. "2026-05-25T11". */
export const hoursOf = (keys: string[]) =>
  keys.map((k) => new Date(hourOfKey(k)).toISOString().slice(0, 13));

/**
 * A response body as UTF-8 text. NOTE: Response.text() on application/x-ndjson makes
 * workerd warn that the body "does not appear to be text".
 */
export const textOf = async (res: Pick<Response, "arrayBuffer">) =>
  new TextDecoder().decode(await res.arrayBuffer());
