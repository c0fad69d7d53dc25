// A deployment's archived events of [from, to) as one NDJSON stream, read from R2 object
// by object as the client pulls: memory holds one object, never the whole export.
//
// Keys sort by hour, then write order (layout.ts), so one listing from `from`'s hour on
// yields the objects in export order, and it stops at the first hour at or after `to`.
// An object holds events of its hour only (the hour of their ts), so an object whose
// hour lies inside the range is passed through as it is; only the hours at the two
// edges are parsed, line by line, to keep from ≤ ts < to. With a set of ids (an incident's
// examples), every object in the range is parsed and only those events are kept.
import { HOUR_MS } from "../shared/time";
import { type DeploymentRef, deploymentPrefix, hourLabel, hourOfKey } from "./layout";

export interface TimeRange {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Only these event ids; absent: every event. */
  ids?: ReadonlySet<string>;
}

/** R2 returns at most 1,000 keys per list call. */
const LIST_PAGE = 1000;
const encoder = new TextEncoder();

/**
 * Where a listing of the deployment's keys starts (exclusive) to begin at `from`'s hour:
 * the hour folder's name without its "/" sorts before every key in it and after every
 * key of an earlier hour.
 */
export const listStartAfter = (d: DeploymentRef, from: number) =>
  `${deploymentPrefix(d)}${hourLabel(from)}`;

/** How an object of the hour starting at `hour` takes part in the export. */
export function hourCoverage(hour: number, { from, to }: TimeRange): "none" | "whole" | "edge" {
  if (hour >= to || hour + HOUR_MS <= from) return "none";
  return hour >= from && hour + HOUR_MS <= to ? "whole" : "edge";
}

/** The lines of an NDJSON text whose event lies in the range (and ids), as NDJSON again. */
export function linesInRange(ndjson: string, { from, to, ids }: TimeRange): string {
  let out = "";
  for (const line of ndjson.split("\n")) {
    if (line.length === 0) continue;
    const { ts, id } = JSON.parse(line) as { ts: number; id: string };
    if (ts >= from && ts < to && (!ids || ids.has(id))) out += `${line}\n`;
  }
  return out;
}

/** The keys of the deployment's objects whose hour overlaps the range, in export order. */
async function* keysInRange(bucket: R2Bucket, d: DeploymentRef, range: TimeRange) {
  const prefix = deploymentPrefix(d);
  let startAfter = listStartAfter(d, range.from);
  for (;;) {
    const page = await bucket.list({ prefix, startAfter, limit: LIST_PAGE });
    for (const { key } of page.objects) {
      const hour = hourOfKey(key);
      if (hour >= range.to) return;
      if (hourCoverage(hour, range) !== "none") yield { key, hour };
    }
    const last = page.objects.at(-1);
    if (!page.truncated || !last) return;
    startAfter = last.key;
  }
}

/** One object's NDJSON within the range, or null when it holds none (or is gone). */
async function readObject(
  bucket: R2Bucket,
  key: string,
  hour: number,
  range: TimeRange,
): Promise<Uint8Array | null> {
  // Gone since the listing (retention or deletion ran meanwhile): nothing to export.
  const object = await bucket.get(key);
  if (!object) return null;
  const ndjson = new Response(object.body.pipeThrough(new DecompressionStream("gzip")));
  if (hourCoverage(hour, range) === "whole" && !range.ids)
    return new Uint8Array(await ndjson.arrayBuffer());
  const kept = linesInRange(await ndjson.text(), range);
  return kept.length > 0 ? encoder.encode(kept) : null;
}

/** The export as a byte stream of NDJSON, pulled object by object. */
export function exportStream(
  bucket: R2Bucket,
  d: DeploymentRef,
  range: TimeRange,
): ReadableStream<Uint8Array> {
  const keys = keysInRange(bucket, d, range);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const next = await keys.next();
          if (next.done) {
            controller.close();
            return;
          }
          const bytes = await readObject(bucket, next.value.key, next.value.hour, range);
          if (bytes && bytes.length > 0) {
            controller.enqueue(bytes);
            return;
          }
        }
      },
      async cancel() {
        await keys.return(undefined);
      },
    },
    // No read-ahead: an object is read when the client asks for more.
    { highWaterMark: 0 },
  );
}
