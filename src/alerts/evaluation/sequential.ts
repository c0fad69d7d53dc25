// Sequential change detection per deployment, pure: each rate's per-minute counts, and each
// distribution's per-minute quantile exceedances and normal scores, feed CUSUM banks (src/drift), whose state
// lives between evaluations in the deployment's Durable Object. Thresholds come from the false-
// alarm budget (one alarm per `days` per deployment, split evenly across the watched metrics),
// re-derived each minute from the baseline's rates and traffic (src/drift/bernoulli-cusum.ts).
// An alarm is an episode (sequential-episode.ts): held until the rate is seen back, then the
// banks start again from zero. A rate with a daily rhythm in its baseline week is compared, minute
// by minute, with its baseline rate at that time of day (src/drift/daily-profile.ts).
import {
  type BankAlarm,
  type BankState,
  designBernoulliBank,
  designDistributionDetector,
  exceedanceStreams,
  initialBankState,
  initialDistributionState,
  normalScoreTable,
  profileFactor,
  RISE_ODDS_RATIOS,
  type ScoreTable,
  type ShiftDirection,
  scoreSum,
  stepBernoulliBank,
  stepDistribution,
} from "../../drift";
import { MINUTE_MS } from "../../shared/time";
import type { Bucket } from "../../window/bucket";
import { isRateMetric, type Metric } from "../rules/rule-metrics";
import { rateCounts, sketchOf } from "./metric-values";
import { type Episode, openEpisode, stepEpisode } from "./sequential-episode";
import { countAtOrBelow, type Steps, stepQuantile, stepsOf } from "./sketch-steps";

/** Minutes in a day (budgets are stated in days between false alarms). */
export const DAY_MINUTES = 1440;

/** Minutes between false alarms each watched metric may spend: the deployment's budget split. */
export function metricArl0(days: number, metrics: number): number {
  return days * DAY_MINUTES * Math.max(1, metrics);
}

export interface SequentialState {
  /** Baseline and release identity: the banks restart when it changes (episodes go on). */
  key: string;
  /** Start of the last 1-minute bucket fed in (epoch ms). */
  lastMinute: number;
  /** Per metric, one bank state per stream (rates have one stream). */
  banks: Record<string, BankState[]>;
  /** Per metric in alarm, the open episode (absent in states stored before episodes). */
  episodes?: Record<string, Episode>;
  /** The rates' hour-of-day profiles in use (absent: every rate compared with its flat mean). */
  profile?: StoredProfile;
}

/** Hour-of-day profiles of the baseline's rates, and the hour they were estimated at. */
export interface StoredProfile {
  /** Epoch ms of the hour they were estimated at (the I/O shell re-estimates each hour). */
  at: number;
  /** The baseline identity they were estimated for. */
  key: string;
  /** Per rate metric with a significant daily rhythm, its profile's coefficients. */
  coefficients: Record<string, number[]>;
}

export interface SequentialMetric {
  metric: Metric;
  direction: ShiftDirection;
}

/** What the detector says about one metric after the latest minute. */
export interface SequentialReading {
  metric: Metric;
  alarm: boolean;
  /** The CUSUM statistic (log-likelihood ratio) of the arm closest to its threshold. */
  statistic: number;
  threshold: number;
  /** Baseline rate of the stream (the rate, or the share beyond a baseline quantile). */
  baselineRate: number;
  /** The stream's rate since the estimated change. */
  estimate: number;
  /** Estimated start of the change (epoch ms). */
  changeMinute: number;
  /** For distributions: the baseline quantile the stream counts beyond, and its value. */
  quantile?: number;
  edge?: number;
  /** While an alarm is held: when it was raised and the reverse test's evidence of return. */
  episode?: { raisedAt: number; back: number; backThreshold: number };
  /** On the minutes an episode ended: its evidence of return and the rate while it gathered. */
  cleared?: { at: number; back: number; backThreshold: number; rate: number };
}

/** Stream counts of one metric in one bucket, and how the detector is designed for it. */
interface Feed {
  p0s: number[];
  perMinute: number;
  quantiles?: number[];
  edges?: number[];
  /** For distributions: the values' normal scores against the baseline, summed (see drift). */
  counts: (b: Bucket) => { beyond: number[]; n: number; score: number };
}

// Add-half estimate keeps p0 inside (0, 1) when the baseline saw no (or only) successes.
const smoothed = (x: number, n: number) => (x + 0.5) / (n + 1);

function feedOf(m: SequentialMetric, baseline: Bucket, baselineMinutes: number): Feed | null {
  if (isRateMetric(m.metric)) {
    const metric = m.metric;
    const r = rateCounts(baseline, metric);
    if (r.trials === 0) return null;
    return {
      p0s: [smoothed(r.successes, r.trials)],
      perMinute: r.trials / baselineMinutes,
      counts: (b) => {
        const c = rateCounts(b, metric);
        return { beyond: [c.successes], n: c.trials, score: 0 };
      },
    };
  }
  const base = stepsOf(sketchOf(baseline, m.metric));
  if (base.total === 0) return null;
  const streams = exceedanceStreams(m.direction);
  const edges = streams.map((s) => stepQuantile(base, s.quantile) ?? 0);
  const beyond = (steps: Steps, i: number) => {
    const below = countAtOrBelow(steps, edges[i] ?? 0);
    return m.direction === "up" ? steps.total - below : below;
  };
  const table = scoreTableOf(base);
  // The score bank is the last stream; its alarms read as the median stream's (drift/distribution-cusum).
  return {
    p0s: streams.map((_, i) => smoothed(beyond(base, i), base.total)),
    perMinute: base.total / baselineMinutes,
    quantiles: [...streams.map((s) => s.quantile), streams[0]?.quantile ?? 0.5],
    edges: [...edges, edges[0] ?? 0],
    counts: (b) => {
      const steps = stepsOf(sketchOf(b, m.metric));
      return {
        beyond: streams.map((_, i) => beyond(steps, i)),
        n: steps.total,
        score: scoreSum(table, steps.values, steps.counts, m.direction),
      };
    },
  };
}

// A baseline's score table costs a normal quantile per bin; steps are cached per sketch, so
// the table is too, for as long as the baseline's sketch lives.
const scoreTables = new WeakMap<Steps, ScoreTable>();
function scoreTableOf(base: Steps): ScoreTable {
  const hit = scoreTables.get(base);
  if (hit) return hit;
  const table = normalScoreTable(base.values, base.counts);
  scoreTables.set(base, table);
  return table;
}

export interface AdvanceInput {
  previous: SequentialState | null;
  key: string;
  metrics: readonly SequentialMetric[];
  baseline: Bucket | null;
  baselineMinutes: number;
  /** Complete 1-minute buckets newer than previous.lastMinute, oldest first. */
  minutes: readonly { start: number; bucket: Bucket }[];
  /** The minute evaluated; a fresh state starts here. */
  now: number;
  /** Mean days between false alarms for the whole deployment. */
  days: number;
  /** The rates' hour-of-day profiles (kept in the state for the I/O shell's next minute). */
  profile?: StoredProfile;
}

/** One metric's detector for the current baseline: its banks and how to step them. */
interface Detector {
  banks: { p0: number; arms: { p1: number; threshold: number }[] }[];
  initial: (step: number) => BankState[];
  step: (
    s: BankState[],
    step: number,
    beyond: number[],
    n: number,
    score: number,
  ) => { state: BankState[]; alarm: (BankAlarm & { stream: number }) | null };
}

function detectorOf(m: SequentialMetric, feed: Feed, arl0: number): Detector {
  if (feed.quantiles === undefined) {
    const bank = designBernoulliBank({
      p0: feed.p0s[0] ?? 0.5,
      oddsRatios: RISE_ODDS_RATIOS,
      arl0,
      trialsPerStep: feed.perMinute,
    });
    return {
      banks: [bank],
      initial: (step) => [initialBankState(bank, step)],
      step: (s, step, beyond, n) => {
        const r = stepBernoulliBank(
          bank,
          s[0] ?? initialBankState(bank, step),
          step,
          beyond[0] ?? 0,
          n,
        );
        return { state: [r.state], alarm: r.alarm ? { ...r.alarm, stream: 0 } : null };
      },
    };
  }
  const detector = designDistributionDetector(
    exceedanceStreams(m.direction),
    feed.p0s,
    arl0,
    feed.perMinute,
  );
  return {
    banks: detector.banks,
    initial: (step) => initialDistributionState(detector, step),
    step: (s, step, beyond, n, score) => stepDistribution(detector, s, step, beyond, n, score),
  };
}

/** A rate's feed with its baseline rate moved by the profile's factor at one time of day. */
function atFactor(feed: Feed, factor: number): Feed {
  return factor === 1 ? feed : { ...feed, p0s: feed.p0s.map((p) => Math.min(p * factor, 0.999)) };
}

/** The stream's count in a bucket for an open episode, without the baseline (it may be gone). */
function episodeCounts(m: SequentialMetric, e: Episode, b: Bucket): { x: number; n: number } {
  if (isRateMetric(m.metric)) {
    const c = rateCounts(b, m.metric);
    return { x: c.successes, n: c.trials };
  }
  const steps = stepsOf(sketchOf(b, m.metric));
  const below = countAtOrBelow(steps, e.edge ?? 0);
  return { x: m.direction === "up" ? steps.total - below : below, n: steps.total };
}

/**
 * Feeds the new minutes to each metric's banks. An alarm opens an episode and restarts the
 * banks; the episode holds the alarm until its reverse test sees the rate back (see
 * sequential-episode.ts). A new key (baseline, release) restarts the banks but not the
 * episodes: a release is not a recovery.
 */
export function advanceSequential(input: AdvanceInput): {
  state: SequentialState;
  readings: Map<Metric, SequentialReading>;
} {
  const fresh = input.previous === null || input.previous.key !== input.key;
  const kept = new Set(input.metrics.map((m) => m.metric as string));
  const episodes = Object.fromEntries(
    Object.entries(input.previous?.episodes ?? {}).filter(([metric]) => kept.has(metric)),
  );
  const state: SequentialState = fresh
    ? { key: input.key, lastMinute: input.now - MINUTE_MS, banks: {}, episodes }
    : { ...(input.previous as SequentialState), banks: { ...input.previous?.banks }, episodes };
  if (input.profile) state.profile = input.profile;
  else delete state.profile;
  const readings = new Map<Metric, SequentialReading>();
  const minutes = fresh ? [] : input.minutes.filter((m) => m.start > state.lastMinute);
  const arl0 = metricArl0(input.days, input.metrics.length);
  for (const m of input.metrics) {
    const flat =
      input.baseline === null
        ? null
        : feedOf(m, input.baseline, Math.max(1, input.baselineMinutes));
    // A profiled rate's detector is designed for each minute's time of day (mid-minute).
    const coefficients = flat?.quantiles ? undefined : input.profile?.coefficients[m.metric];
    const factorAt = (start: number) =>
      coefficients ? profileFactor(coefficients, start + MINUTE_MS / 2) : 1;
    const design = (start: number) => {
      const f = flat ? atFactor(flat, factorAt(start)) : null;
      return { feed: f, detector: f && f.perMinute > 0 ? detectorOf(m, f, arl0) : null };
    };
    let { feed, detector } = design(input.now - MINUTE_MS);
    let episode: Episode | undefined = state.episodes?.[m.metric];
    let banks = state.banks[m.metric];
    if (detector && banks?.length !== detector.banks.length) {
      banks = detector.initial(minuteIndex(state.lastMinute) + 1);
    }
    let cleared: SequentialReading["cleared"];
    let ended: Episode | undefined;
    for (const { start, bucket } of minutes) {
      const step = minuteIndex(start);
      if (coefficients) ({ feed, detector } = design(start));
      if (episode) {
        const { x, n } = episodeCounts(m, episode, bucket);
        const scale = episode.factor === undefined ? 1 : factorAt(start) / episode.factor;
        const r = stepEpisode(episode, x, n, scale);
        episode = r.ended ? undefined : r.episode;
        if (r.ended) {
          const e = r.episode;
          ended = e;
          cleared = {
            at: start,
            back: e.back,
            backThreshold: e.backThreshold,
            rate: e.backTrials > 0 ? e.backSuccesses / e.backTrials : e.p0,
          };
          if (detector) banks = detector.initial(step + 1);
        }
        continue;
      }
      if (!(detector && feed && banks)) continue;
      const { beyond, n, score } = feed.counts(bucket);
      const r = detector.step(banks, step, beyond, n, score);
      banks = r.state;
      if (r.alarm) {
        const a = r.alarm;
        const arm = detector.banks[a.stream]?.arms[a.arm];
        const p0 = detector.banks[a.stream]?.p0 ?? a.estimate;
        const armState = banks[a.stream]?.[a.arm];
        episode = openEpisode({
          stream: a.stream,
          ...(feed.quantiles ? { quantile: feed.quantiles[a.stream] } : {}),
          ...(feed.edges ? { edge: feed.edges[a.stream] } : {}),
          p0,
          armP1: arm?.p1 ?? a.estimate,
          estimate: a.estimate,
          changeMinute: a.changeStep * MINUTE_MS,
          raisedAt: start,
          statistic: a.statistic,
          threshold: a.threshold,
          successes: armState?.successes ?? 0,
          trials: armState?.trials ?? 0,
          perMinute: feed.perMinute,
          arl0,
          ...(coefficients ? { factor: factorAt(start) } : {}),
        });
        banks = detector.initial(step + 1);
      }
    }
    if (banks && detector) state.banks[m.metric] = banks;
    const episodesNow = { ...state.episodes };
    if (episode) episodesNow[m.metric] = episode;
    else delete episodesNow[m.metric];
    state.episodes = episodesNow;
    if (episode) readings.set(m.metric, episodeReading(m.metric, episode));
    else if (detector && feed && banks) {
      const r = reading(m.metric, banks, detector.banks, feed);
      readings.set(m.metric, cleared ? { ...r, cleared } : r);
    } else if (cleared && ended) {
      // Cleared while no baseline is available: still a reading, so the incident resolves.
      readings.set(m.metric, { ...episodeReading(m.metric, ended), alarm: false, cleared });
    }
  }
  return { state: advanceClock(state, minutes), readings };
}

function episodeReading(metric: Metric, e: Episode): SequentialReading {
  return {
    metric,
    alarm: true,
    statistic: e.statistic,
    threshold: e.threshold,
    baselineRate: e.p0,
    estimate: e.trials > 0 ? e.successes / e.trials : e.p1,
    changeMinute: e.changeMinute,
    ...(e.quantile === undefined ? {} : { quantile: e.quantile, edge: e.edge }),
    episode: { raisedAt: e.raisedAt, back: e.back, backThreshold: e.backThreshold },
  };
}

const minuteIndex = (ms: number) => Math.floor(ms / MINUTE_MS);

function advanceClock(
  state: SequentialState,
  minutes: readonly { start: number }[],
): SequentialState {
  const last = minutes[minutes.length - 1];
  return last ? { ...state, lastMinute: Math.max(state.lastMinute, last.start) } : state;
}

// The arm furthest past (or nearest) its threshold, relative to it, stands for the metric; the
// alarm holds while any arm is at or above its threshold, so a re-run minute reads the same.
function reading(
  metric: Metric,
  states: BankState[],
  banks: { p0: number; arms: { threshold: number }[] }[],
  feed: Feed,
): SequentialReading {
  let best = { stream: 0, arm: 0, ratio: -1 };
  states.forEach((bank, stream) => {
    bank.forEach((arm, i) => {
      const t = banks[stream]?.arms[i]?.threshold ?? Number.POSITIVE_INFINITY;
      const ratio = t > 0 ? arm.statistic / t : arm.statistic > 0 ? 1 : 0;
      if (ratio > best.ratio) best = { stream, arm: i, ratio };
    });
  });
  const arm = states[best.stream]?.[best.arm];
  const p0 = banks[best.stream]?.p0 ?? 0;
  const statistic = arm?.statistic ?? 0;
  return {
    metric,
    alarm: statistic > 0 && best.ratio >= 1,
    statistic,
    threshold: banks[best.stream]?.arms[best.arm]?.threshold ?? 0,
    baselineRate: p0,
    estimate: arm && arm.trials > 0 ? arm.successes / arm.trials : p0,
    changeMinute: (arm?.start ?? 0) * MINUTE_MS,
    ...(feed.quantiles
      ? { quantile: feed.quantiles[best.stream], edge: feed.edges?.[best.stream] }
      : {}),
  };
}
