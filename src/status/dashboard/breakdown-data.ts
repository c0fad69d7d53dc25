// The breakdown page's data: one RPC to the deployment's Durable Object for the segment
// counts (or, for a distribution, the segment moments) of each minute (1 h, 2 h: its
// 1-minute rows, kept 2 hours) or each hour (24 h, 7 d: its 1-hour rows, kept 8 days) of the
// range, decoded into slices.
import { decodeSegments, emptySegments } from "../../window/segment-counts";
import { decodeMoments } from "../../window/segment-moments";
import type { SegmentRows, SegmentSlice } from "./breakdown";
import type { Range } from "./deployment-page";
import { rangeBounds } from "./views";

/** The ranges a breakdown can cover: segment rows outlive neither 2 h (minutes) nor 8 days. */
export const BREAKDOWN_RANGES = ["1h", "2h", "24h", "7d"] as const satisfies readonly Range[];
export type BreakdownRange = (typeof BREAKDOWN_RANGES)[number];

export async function segmentSlices(
  env: Env,
  deploymentId: string,
  range: BreakdownRange,
  now: number,
  what: "counts" | "moments" = "counts",
): Promise<{ slices: SegmentSlice[]; from: number; to: number }> {
  const { from, to, step } = rangeBounds(range, now);
  const resolution = range === "1h" || range === "2h" ? ("1m" as const) : ("1h" as const);
  const ranges = [];
  for (let t = from; t < to; t += step) ranges.push({ from: t, to: t + step, resolution });
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  const encoded = await stub.segmentWindows(ranges, what);
  // Moment rows carry their eval names beside the rows; a breakdown reads the rows.
  const decode = (text: string): SegmentRows =>
    what === "moments" ? decodeMoments(text).dims : decodeSegments(text);
  const slices = ranges.map((r, k) => {
    let segments: SegmentRows = emptySegments();
    try {
      segments = decode(encoded[k] ?? "");
    } catch {
      // A slice that does not decode shows as a gap (the store already drops bad rows).
    }
    return { start: r.from, segments };
  });
  return { slices, from, to };
}
