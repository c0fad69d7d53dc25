// Writes bucket summaries to the D1 rollups table (time series for charts and the
// status page), upserting so a re-flushed bucket replaces its earlier row.
import type { Bucket } from "../window/bucket";
import { summarizeBucket } from "../window/summary";

export interface RollupInput {
  resolution: "1m" | "1h";
  start: number;
  bucket: Bucket;
}

export async function flushRollups(
  db: D1Database,
  deploymentId: string,
  rows: RollupInput[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  const upsert = db.prepare(
    `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
       feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
     ON CONFLICT (deployment_id, resolution, bucket_start) DO UPDATE SET
       count = excluded.count, error_count = excluded.error_count, feedback_up = excluded.feedback_up,
       feedback_down = excluded.feedback_down, latency_p50 = excluded.latency_p50,
       latency_p95 = excluded.latency_p95, cost_usd = excluded.cost_usd, summary = excluded.summary,
       updated_at = excluded.updated_at`,
  );
  await db.batch(
    rows.map(({ resolution, start, bucket }) => {
      const s = summarizeBucket(bucket);
      return upsert.bind(
        deploymentId,
        resolution,
        start,
        s.count,
        // As the error-rate rule counts (and the minute charts): status `error` only.
        s.status.error,
        s.feedback.up,
        s.feedback.down,
        s.distributions.latency_ms.p50,
        s.distributions.latency_ms.p95,
        s.cost.total_usd,
        JSON.stringify(s),
        now,
      );
    }),
  );
}
