// The baseline's hour-of-day profiles, pure: each watched rate's counts over the baseline's
// hours, pooled by hour of day (UTC) and fitted (src/drift/daily-profile.ts). Rates without a
// significant daily rhythm get none and are compared with their flat baseline rate.
import { fitDailyProfile, type HourOfDayCounts } from "../../drift";
import { HOUR_MS } from "../../shared/time";
import type { Bucket } from "../../window/bucket";
import { isRateMetric, type Metric } from "../rules/rule-metrics";
import { rateCounts } from "./metric-values";

export interface HourBucket {
  /** Start of the hour (epoch ms). */
  start: number;
  bucket: Bucket;
}

const hourOfDay = (ms: number) => ((Math.floor(ms / HOUR_MS) % 24) + 24) % 24;

/** Per rate metric with a daily rhythm, its profile's coefficients. */
export function baselineProfile(
  hours: readonly HourBucket[],
  metrics: readonly Metric[],
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const metric of metrics) {
    if (!isRateMetric(metric)) continue;
    const counts: HourOfDayCounts[] = hours.map((h) => {
      const c = rateCounts(h.bucket, metric);
      return { hour: hourOfDay(h.start), successes: c.successes, trials: c.trials };
    });
    const profile = fitDailyProfile(counts);
    if (profile) out[metric] = profile.coefficients;
  }
  return out;
}
