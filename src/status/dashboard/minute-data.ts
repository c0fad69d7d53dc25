// The minute charts' data: one RPC to the deployment's Durable Object asking for each
// minute of the range from its 1-minute buckets (kept for 2 hours), decoded and summarised.
import { MINUTE_MS } from "../../shared/time";
import { decodeBucket } from "../../window/bucket-codec";
import { summarizeBucket } from "../../window/summary";
import { minuteRow } from "./minute-rows";
import type { HourRow } from "./series";

export async function minuteRows(
  env: Env,
  deploymentId: string,
  from: number,
  to: number,
): Promise<HourRow[]> {
  const starts: number[] = [];
  for (let t = from; t < to; t += MINUTE_MS) starts.push(t);
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  const windows = await stub.windows(
    starts.map((t) => ({ from: t, to: t + MINUTE_MS, resolution: "1m" as const })),
  );
  return windows.flatMap((w, k) => {
    const start = starts[k];
    return w.buckets === 0 || start === undefined
      ? []
      : [minuteRow(start, summarizeBucket(decodeBucket(w.data)))];
  });
}
