// Where raw events live in R2 (the ARCHIVE bucket), and in what form. Shared by the
// writer (the DeploymentMonitor's archive flush), the export route, retention and
// deletion, so the layout is defined once.
//
// Layout: one object per flush of one deployment's accepted events of one UTC hour:
//   events/<project>/<environment>/<deployment>/<YYYY-MM-DDTHH>/<first>-<last>.ndjson.gz
// <first> and <last> are the deployment's archive sequence numbers of the first and last
// event in the object, zero-padded so keys sort in write order. The name is a function of
// the events it holds, so writing an object again after a crash rewrites the same object
// with the same bytes: each accepted event is archived exactly once.
//
// A deployment's probe runs are counted by a sibling object with its own sequence
// (src/monitor/monitor-id.ts); its objects sit in the same hour folder as
// synthetic-<first>-<last>.ndjson.gz (syntheticObjectKey), so keys never collide and
// every prefix above covers both. The hour is the UTC hour of the events' ts.
//
// Body: gzip of NDJSON, one archived event per line: the normalised event (user and
// session already hashed, see src/ingest/normalized.ts) plus `received_at` (epoch ms).
// Project ids, environments and deployment slugs never contain "/" (slugs are
// [a-z0-9][a-z0-9-_.]{0,63}; project ids are base64url).
import { gunzipSync, gzipSync, strFromU8, strToU8 } from "fflate";
import type { NormalizedEvent } from "../ingest/normalized";
import { hourOf } from "../shared/time";

export type ArchivedEvent = NormalizedEvent & { received_at: number };

const ROOT = "events";
const SEQ_DIGITS = 12;

export interface DeploymentRef {
  projectId: string;
  environment: string;
  slug: string;
}

/** "events/<project>/" : everything archived for a project. */
export const projectPrefix = (projectId: string) => `${ROOT}/${projectId}/`;

/** "events/<project>/<environment>/<deployment>/" : everything archived for a deployment. */
export const deploymentPrefix = (d: DeploymentRef) =>
  `${projectPrefix(d.projectId)}${d.environment}/${d.slug}/`;

/** The UTC hour label of an epoch-ms time: "2026-12-02T14". */
export function hourLabel(ts: number): string {
  return new Date(hourOf(ts)).toISOString().slice(0, 13);
}

/** The epoch ms at which an hour label starts (NaN for a malformed label). */
export function hourStart(label: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(label) ? Date.parse(`${label}:00:00.000Z`) : Number.NaN;
}

/** "events/<project>/<env>/<deployment>/<hour>/" */
export const hourPrefix = (d: DeploymentRef, hourStartMs: number) =>
  `${deploymentPrefix(d)}${hourLabel(hourStartMs)}/`;

/** The key of the object holding archive sequence numbers first..last of one hour. */
export function objectKey(d: DeploymentRef, hourStartMs: number, first: number, last: number) {
  const pad = (n: number) => String(n).padStart(SEQ_DIGITS, "0");
  return `${hourPrefix(d, hourStartMs)}${pad(first)}-${pad(last)}.ndjson.gz`;
}

/** The key of a synthetic sibling's object (see the layout above). */
export function syntheticObjectKey(
  d: DeploymentRef,
  hourStartMs: number,
  first: number,
  last: number,
) {
  const key = objectKey(d, hourStartMs, first, last);
  const slash = key.lastIndexOf("/") + 1;
  return `${key.slice(0, slash)}synthetic-${key.slice(slash)}`;
}

/** The hour a key belongs to (epoch ms), or NaN when the key is not an archive object key. */
export function hourOfKey(key: string): number {
  const parts = key.split("/");
  return parts.length === 6 && parts[0] === ROOT ? hourStart(parts[4] ?? "") : Number.NaN;
}

export function encodeArchive(events: readonly ArchivedEvent[]): Uint8Array {
  return encodeArchiveLines(events.map((e) => JSON.stringify(e)));
}

/**
 * The same body from lines already serialised (JSON.stringify of each ArchivedEvent, or
 * several of them joined by "\n"): the writer keeps its outbox as text.
 */
export function encodeArchiveLines(lines: readonly string[]): Uint8Array {
  return gzipSync(strToU8(`${lines.join("\n")}\n`), { mtime: 0 });
}

export function decodeArchive(body: Uint8Array): ArchivedEvent[] {
  return strFromU8(gunzipSync(body))
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ArchivedEvent);
}
