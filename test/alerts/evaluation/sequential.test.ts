// Sequential detection per deployment, pure: minute buckets through advanceSequential and the
// cusum rules' check results.
import { describe, expect, it } from "vitest";
import { evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import {
  advanceSequential,
  type SequentialMetric,
  type SequentialState,
} from "../../../src/alerts/evaluation/sequential";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { MINUTE_MS } from "../../../src/shared/time";
import type { Bucket } from "../../../src/window/bucket";
import { mergeBuckets } from "../../../src/window/bucket";
import { type Traffic, traffic } from "../synthetic";

const T0 = Date.UTC(2026, 11, 2, 13, 0);
const METRICS: SequentialMetric[] = [
  { metric: "thumbs_down_rate", direction: "up" },
  { metric: "error_rate", direction: "up" },
  { metric: "latency_ms", direction: "up" },
];

const baseline = (() => {
  const b = traffic(20_000, 99);
  return { bucket: b, minutes: 200 };
})();

/** Minutes of 100 interactions each, changed from minute `at` on. */
function minutes(count: number, at: number, change: Partial<Traffic>, seed: number) {
  return Array.from({ length: count }, (_, i) => ({
    start: T0 + i * MINUTE_MS,
    bucket: traffic(100, seed * 1000 + i, i >= at ? change : {}),
  }));
}

function run(stream: { start: number; bucket: Bucket }[], key = "rolling|") {
  let state: SequentialState | null = advanceSequential({
    previous: null,
    key,
    metrics: METRICS,
    baseline: baseline.bucket,
    baselineMinutes: baseline.minutes,
    minutes: [],
    now: T0,
    days: 30,
  }).state;
  const firstAlarm = new Map<string, number>();
  let last = new Map();
  for (const m of stream) {
    const r = advanceSequential({
      previous: state,
      key,
      metrics: METRICS,
      baseline: baseline.bucket,
      baselineMinutes: baseline.minutes,
      minutes: [m],
      now: m.start + MINUTE_MS,
      days: 30,
    });
    state = r.state;
    last = r.readings;
    for (const [metric, reading] of r.readings) {
      if (reading.alarm && !firstAlarm.has(metric)) firstAlarm.set(metric, m.start);
    }
  }
  return { state, firstAlarm, last };
}

describe("sequential detection", () => {
  it("stays quiet on a stream without change", () => {
    const { firstAlarm, state } = run(minutes(120, 999, {}, 1));
    expect([...firstAlarm.keys()]).toEqual([]);
    expect(state?.lastMinute).toBe(T0 + 119 * MINUTE_MS);
  });

  it("catches thumbs-down 5 % -> 12 % within minutes and names the change", () => {
    const { firstAlarm, last } = run(minutes(60, 20, { thumbsDown: 0.12 }, 2));
    const at = firstAlarm.get("thumbs_down_rate");
    expect(at).toBeDefined();
    const delay = ((at ?? 0) - (T0 + 20 * MINUTE_MS)) / MINUTE_MS;
    expect(delay).toBeGreaterThanOrEqual(0);
    // KL(12 % || 5 %) = 0.0455 nats a thumb, 100 thumbs a minute, log(ARL0) ~ 15: ~3.3 minutes.
    expect(delay).toBeLessThanOrEqual(8);
    expect(firstAlarm.has("error_rate")).toBe(false);

    const rule = DEFAULT_RULES.find((r) => r.id === "default:thumbs_down_rate:cusum");
    if (!rule) throw new Error("no cusum rule");
    const check = evaluateRule(rule, {
      current: traffic(10, 1),
      baseline: baseline.bucket,
      currentMinutes: 15,
      baselineMinutes: baseline.minutes,
      sequential: last,
    });
    expect(check.outcome).toBe("breach");
    expect(check.value).toBeGreaterThan(0.09);
    expect(check.unit).toBe("ratio");
    expect(check.message).toBe(
      "thumbs-down rate rose from 5.11 % to 11.8 % around 13:19 UTC (alarm at 13:22 UTC, held until the rate is back): CUSUM = 16 ≥ 13.4 (one false alarm per 30 days per deployment); evidence of return = 0 < 11.8",
    );
  });

  it("catches latency x 1.5 through the quantile-exceedance streams", () => {
    const { firstAlarm, last } = run(minutes(40, 10, { latencyMedian: 975 }, 3));
    expect(firstAlarm.get("latency_ms")).toBeDefined();
    expect(last.get("latency_ms")?.quantile).toBeDefined();
  });

  it("restarts the banks on a release change but keeps the open alarm while the drift goes on", () => {
    const { state } = run(minutes(30, 10, { thumbsDown: 0.2 }, 4));
    expect(state?.episodes?.thumbs_down_rate).toBeDefined();
    let previous = state;
    const seen: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      const r = advanceSequential({
        previous,
        key: "rolling|123",
        metrics: METRICS,
        baseline: baseline.bucket,
        baselineMinutes: baseline.minutes,
        minutes: [
          { start: T0 + (30 + i) * MINUTE_MS, bucket: traffic(100, 500 + i, { thumbsDown: 0.2 }) },
        ],
        now: T0 + (31 + i) * MINUTE_MS,
        days: 30,
      });
      if (i === 0) {
        expect(r.state.key).toBe("rolling|123");
        expect(r.state.banks.thumbs_down_rate?.[0]?.every((a) => a.statistic === 0)).toBe(true);
      }
      seen.push(r.readings.get("thumbs_down_rate")?.alarm ?? false);
      previous = r.state;
    }
    // Before, the reset read "ok" here and the incident resolved while thumbs-down stayed at 20 %.
    expect(seen.every(Boolean)).toBe(true);
  });

  it("holds one alarm through a drift and clears it only on evidence of return", () => {
    // 20 minutes at 5 %, 60 at 20 %, then 120 back at 5 %.
    const stream = Array.from({ length: 200 }, (_, i) => ({
      start: T0 + i * MINUTE_MS,
      bucket: traffic(100, 7000 + i, i >= 20 && i < 80 ? { thumbsDown: 0.2 } : {}),
    }));
    let state: SequentialState | null = null;
    const alarms: boolean[] = [];
    for (const m of stream) {
      const r = advanceSequential({
        previous: state,
        key: "rolling|",
        metrics: METRICS,
        baseline: baseline.bucket,
        baselineMinutes: baseline.minutes,
        minutes: [m],
        now: m.start + MINUTE_MS,
        days: 30,
      });
      state = r.state;
      alarms.push(r.readings.get("thumbs_down_rate")?.alarm ?? false);
    }
    const raised = alarms.filter((a, i) => a && !alarms[i - 1]).length;
    expect(raised).toBe(1);
    const first = alarms.indexOf(true);
    const last = alarms.lastIndexOf(true);
    expect(first).toBeGreaterThanOrEqual(20);
    // Held for the whole drift (no early "resolved"), cleared within the hour after it ended.
    expect(last).toBeGreaterThanOrEqual(79);
    expect(last).toBeLessThan(140);
    expect(state?.episodes?.thumbs_down_rate).toBeUndefined();
  });

  it("reads the same when a minute is evaluated twice", () => {
    const stream = minutes(40, 10, { thumbsDown: 0.2 }, 6);
    const { state } = run(stream);
    const again = advanceSequential({
      previous: state,
      key: "rolling|",
      metrics: METRICS,
      baseline: baseline.bucket,
      baselineMinutes: baseline.minutes,
      minutes: stream.slice(-1),
      now: T0 + 40 * MINUTE_MS,
      days: 30,
    });
    expect(again.readings.get("thumbs_down_rate")?.alarm).toBe(true);
    expect(again.state).toEqual(state);
  });

  it("has no reading without a baseline", () => {
    const merged = traffic(10, 1);
    mergeBuckets(merged, traffic(10, 2));
    const r = advanceSequential({
      previous: null,
      key: "k",
      metrics: METRICS,
      baseline: null,
      baselineMinutes: 0,
      minutes: [{ start: T0, bucket: merged }],
      now: T0,
      days: 30,
    });
    expect(r.readings.size).toBe(0);
  });
});
