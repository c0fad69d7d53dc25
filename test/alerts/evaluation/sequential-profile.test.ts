// Rates with a daily rhythm: the sequential detector compares each minute with the baseline's
// rate at that time of day (hour-of-day profile), not with the flat 7-day mean.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { baselineProfile } from "../../../src/alerts/evaluation/baseline-profile";
import { loadBaseline } from "../../../src/alerts/evaluation/baseline-source";
import {
  advanceSequential,
  type SequentialMetric,
  type SequentialState,
  type StoredProfile,
} from "../../../src/alerts/evaluation/sequential";
import { openEpisode, stepEpisode } from "../../../src/alerts/evaluation/sequential-episode";
import { sequentialReadings } from "../../../src/alerts/evaluation/sequential-io";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { HOUR_MS, MINUTE_MS } from "../../../src/shared/time";
import { type Bucket, emptyBucket, mergeBuckets } from "../../../src/window/bucket";
import { deploymentRow, NORMAL, simulate } from "../../simulate";

const DAY_MS = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 11, 7);
const METRICS: SequentialMetric[] = [{ metric: "error_rate", direction: "up" }];
const PER_MINUTE = 1000;
/** The error rate at a time: 1 % ± 30 % by time of day (highest at 06:00 UTC). */
const rateAt = (ms: number) => 0.01 * (1 + 0.3 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS));

function counts(n: number, errors: number): Bucket {
  const b = emptyBucket();
  b.counters.count = n;
  b.counters.ok = n - errors;
  b.counters.error = errors;
  return b;
}

/** A week of the rhythm as hourly buckets at their expected counts, and their merge. */
function week(): { hours: { start: number; bucket: Bucket }[]; bucket: Bucket } {
  const hours = Array.from({ length: 7 * 24 }, (_, i) => {
    const start = T0 - 7 * DAY_MS + i * HOUR_MS;
    let errors = 0;
    for (let m = 0; m < 60; m++) errors += PER_MINUTE * rateAt(start + m * MINUTE_MS + 30_000);
    return { start, bucket: counts(60 * PER_MINUTE, Math.round(errors)) };
  });
  const bucket = emptyBucket();
  for (const h of hours) mergeBuckets(bucket, h.bucket);
  return { hours, bucket };
}

/** Two days of minutes at the rhythm's expected counts through advanceSequential. */
function twoDays(profile: StoredProfile | undefined, errorsAt = rateAt) {
  const base = week();
  let state: SequentialState | null = null;
  const alarms: number[] = [];
  const cleared: number[] = [];
  for (let t = T0; t < T0 + 2 * DAY_MS; t += MINUTE_MS) {
    const r = advanceSequential({
      previous: state,
      key: "rolling|",
      metrics: METRICS,
      baseline: base.bucket,
      baselineMinutes: 7 * 1440,
      minutes: [
        { start: t, bucket: counts(PER_MINUTE, Math.round(PER_MINUTE * errorsAt(t + 30_000))) },
      ],
      now: t + MINUTE_MS,
      days: 30,
      ...(profile ? { profile } : {}),
    });
    state = r.state;
    if (r.readings.get("error_rate")?.alarm) alarms.push(t);
    if (r.readings.get("error_rate")?.cleared) cleared.push(t);
  }
  return { alarms, cleared, state };
}

describe("hour-of-day profiles in sequential detection", { timeout: 60_000 }, () => {
  it("fits the week's rhythm for a rate that has one and none for a flat rate", () => {
    const base = week();
    const profile = baselineProfile(base.hours, ["error_rate", "timeout_rate", "latency_ms"]);
    expect(Object.keys(profile)).toEqual(["error_rate"]);
    const [c0, , s1] = profile.error_rate ?? [];
    // The level is raised by the fit's extra standard error, sqrt(4/x) for x ≈ 100,800 errors.
    expect(c0).toBeCloseTo(1 + Math.sqrt(4 / 100_800), 3);
    expect(s1).toBeCloseTo(0.3, 2);
  });

  it("stays quiet for two days on a rate that swings ±30 % by hour, where the flat mean alarms", () => {
    const coefficients = baselineProfile(week().hours, ["error_rate"]);
    const profiled = twoDays({ at: T0, key: "rolling|", coefficients });
    expect(profiled.alarms).toEqual([]);
    // The same stream against the flat 7-day mean reads the morning's high as a change.
    const flat = twoDays(undefined);
    expect(flat.alarms.length).toBeGreaterThan(0);
  });

  it("still catches a change on a rhythmic rate, and its episode remembers the profile's factor", () => {
    const coefficients = baselineProfile(week().hours, ["error_rate"]);
    const changeAt = T0 + 18 * HOUR_MS;
    const { alarms, state } = twoDays({ at: T0, key: "rolling|", coefficients }, (t) =>
      t >= changeAt ? 2 * rateAt(t) : rateAt(t),
    );
    expect(alarms.length).toBeGreaterThan(0);
    const first = alarms[0] ?? 0;
    expect(first).toBeGreaterThanOrEqual(changeAt);
    expect(first - changeAt).toBeLessThanOrEqual(10 * MINUTE_MS);
    // 18:00 UTC is the rhythm's low: a factor near 0.7.
    expect(state?.episodes?.error_rate?.factor).toBeCloseTo(0.7, 1);
  });

  it("resolves an alarm raised at the day's low once the rate is back on its profile in the morning", () => {
    const coefficients = baselineProfile(week().hours, ["error_rate"]);
    // Doubled from 18:00 (the low) to 00:00, then back on the profile as it climbs to 06:00.
    const from = T0 + 18 * HOUR_MS;
    const back = T0 + 24 * HOUR_MS;
    const { alarms, cleared } = twoDays({ at: T0, key: "rolling|", coefficients }, (t) =>
      t >= from && t < back ? 2 * rateAt(t) : rateAt(t),
    );
    expect(alarms[0] ?? 0).toBeGreaterThanOrEqual(from);
    // Against the p0 of the alarm's hour, 00:00-06:00 would read as still changed (the rate
    // climbs 1.4-1.9× above it); following the profile, the episode ends within the hour.
    const end = cleared.find((t) => t >= back);
    expect(end).toBeDefined();
    expect((end ?? 0) - back).toBeLessThanOrEqual(HOUR_MS);
    expect(cleared.filter((t) => t >= from && t < back)).toEqual([]);
  });

  it("ends an episode when the rate is back at its profile's value for the time of day", () => {
    const episode = openEpisode({
      stream: 0,
      p0: 0.01,
      armP1: 0.0225,
      estimate: 0.0225,
      changeMinute: T0,
      raisedAt: T0,
      statistic: 20,
      threshold: 15,
      successes: 45,
      trials: 2000,
      perMinute: PER_MINUTE,
      arl0: 7 * 30 * 1440,
      factor: 0.7,
    });
    // 13 errors in 1,000 is the profile's rate where its factor is 1.3 times the alarm's.
    const run = (scale: number) => {
      let e = episode;
      for (let m = 0; m < 120; m++) {
        const r = stepEpisode(e, 13, 1000, scale);
        if (r.ended) return m + 1;
        e = r.episode;
      }
      return null;
    };
    expect(run(1.3)).not.toBeNull();
    // Without the profile's scale, 1.3 % reads as "still changed" against a 1 % baseline.
    expect(run(1)).toBeNull();
  });

  it("re-estimates the profiles from the deployment's hourly rollups in D1 and keeps them in its state", async () => {
    const deploymentId = `dep_profile_${crypto.randomUUID()}`;
    const base = week();
    await env.DB.batch(
      base.hours.map((h) =>
        env.DB.prepare(
          `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
             feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
           VALUES (?1, '1h', ?2, ?3, ?4, 0, 0, NULL, NULL, 0, ?5, 0)`,
        ).bind(
          deploymentId,
          h.start,
          h.bucket.counters.count,
          h.bucket.counters.error,
          JSON.stringify({
            status: { ok: h.bucket.counters.ok, error: h.bucket.counters.error, timeout: 0 },
            rates: { escalated: 0, unanswered: 0 },
          }),
        ),
      ),
    );
    const rules = DEFAULT_RULES.filter(
      (r) => r.test === "cusum" && (r.metric === "error_rate" || r.metric === "timeout_rate"),
    );
    const minute = T0 + 5 * MINUTE_MS;
    await sequentialReadings(
      env,
      deploymentId,
      minute,
      rules,
      { bucket: base.bucket, minutes: 7 * 1440, hours: { from: T0 - 7 * DAY_MS, to: T0 } },
      "rolling|",
    );
    const stored = await env.DEPLOYMENT_MONITOR.getByName(deploymentId).sequentialState();
    const state = JSON.parse(stored ?? "{}") as SequentialState;
    expect(state.profile?.at).toBe(T0);
    expect(Object.keys(state.profile?.coefficients ?? {})).toEqual(["error_rate"]);
    expect(state.profile?.coefficients.error_rate?.[2]).toBeCloseTo(0.3, 2);
  });

  it("takes the profiles from the rolling baseline's hours: the 7 days before the last hour", async () => {
    const sim = await simulate("profile-hours", () => NORMAL, 20);
    const d = await deploymentRow(sim);
    const rules = DEFAULT_RULES.filter((r) => r.test === "cusum");
    const { baseline } = await loadBaseline(env, d, sim.now, rules);
    const end = Math.floor((sim.now - HOUR_MS) / HOUR_MS) * HOUR_MS;
    expect(baseline?.hours).toEqual({ from: end - 7 * DAY_MS, to: end });
  });
});
