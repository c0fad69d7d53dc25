// What happens after a sequential alarm, pure. The alarm opens an episode and the forward
// detector restarts from zero, so one false alarm cannot raise a second incident by hovering at
// its threshold. The episode holds the alarm (the incident stays open) until a reverse CUSUM
// finds evidence that the stream is back at its baseline rate p0, against "still changed" at
// p1, the odds midpoint between p0 and the rate seen at the alarm. That reverse detector has
// the metric's own false-alarm budget, so an incident resolves early while the drift goes on
// about as rarely as a false alarm comes. An episode keeps its p0, p1 and quantile edge, so a
// release or baseline change (which restarts the forward detector) neither ends it nor sends
// a "resolved": only the evidence of return does.
import { designBernoulliBank, withOddsRatio } from "../../drift";

export interface Episode {
  /** The stream that alarmed (0 for a rate; for a distribution, its quantile stream). */
  stream: number;
  quantile?: number;
  edge?: number;
  /** Baseline rate of the stream when the alarm was raised. */
  p0: number;
  /** "Still changed": the reverse test's alternative. */
  p1: number;
  /** Estimated start of the change and the minute of the alarm (epoch ms). */
  changeMinute: number;
  raisedAt: number;
  /** The forward CUSUM and its threshold at the alarm (for messages). */
  statistic: number;
  threshold: number;
  /** Counts since the change began: their ratio is the stream's rate now. */
  successes: number;
  trials: number;
  /** Reverse CUSUM (log-likelihood ratio of p0 against p1) and its threshold. */
  back: number;
  backThreshold: number;
  /** Counts since the reverse CUSUM last stood at 0: the rate while it gathered evidence. */
  backSuccesses: number;
  backTrials: number;
  /**
   * The baseline's hour-of-day factor at the alarm, for a rate with a daily rhythm: p0 and p1
   * follow the profile, scaled by its factor at each minute over this one.
   */
  factor?: number;
}

export interface EpisodeOpening {
  stream: number;
  quantile?: number;
  edge?: number;
  p0: number;
  /** The alarmed arm's alternative and the rate since the change, read at the alarm. */
  armP1: number;
  estimate: number;
  changeMinute: number;
  raisedAt: number;
  statistic: number;
  threshold: number;
  successes: number;
  trials: number;
  /** Mean trials per minute and the metric's ARL budget in minutes, for the reverse threshold. */
  perMinute: number;
  arl0: number;
  factor?: number;
}

const odds = (p: number) => p / (1 - p);

export function openEpisode(o: EpisodeOpening): Episode {
  // The rate at the alarm is biased away from p0 (alarms come on extreme minutes); the odds
  // midpoint asks the reverse test to clear only when the rate is nearer p0 than that.
  const seen = odds(o.estimate) / odds(o.p0);
  const ratio = Number.isFinite(seen) && seen > 0 && seen !== 1 ? seen : odds(o.armP1) / odds(o.p0);
  const p1 = withOddsRatio(o.p0, Math.sqrt(ratio));
  const reverse = designBernoulliBank({
    p0: p1,
    oddsRatios: [odds(o.p0) / odds(p1)],
    arl0: o.arl0,
    trialsPerStep: Math.max(o.perMinute, Number.MIN_VALUE),
  });
  return {
    stream: o.stream,
    ...(o.quantile === undefined ? {} : { quantile: o.quantile }),
    ...(o.edge === undefined ? {} : { edge: o.edge }),
    p0: o.p0,
    p1,
    changeMinute: o.changeMinute,
    raisedAt: o.raisedAt,
    statistic: o.statistic,
    threshold: o.threshold,
    successes: o.successes,
    trials: o.trials,
    back: 0,
    backThreshold: reverse.arms[0]?.threshold ?? 0,
    backSuccesses: 0,
    backTrials: 0,
    ...(o.factor === undefined ? {} : { factor: o.factor }),
  };
}

/**
 * One minute of the stream: the episode, and whether it ended on evidence of return. `scale`
 * moves p0 and p1 with the baseline's daily rhythm (1: no rhythm).
 */
export function stepEpisode(
  e: Episode,
  successes: number,
  trials: number,
  scale = 1,
): { episode: Episode; ended: boolean } {
  const p0 = scale === 1 ? e.p0 : Math.min(e.p0 * scale, 0.999);
  const p1 = scale === 1 ? e.p1 : Math.min(e.p1 * scale, 0.9995);
  const z = successes * Math.log(p0 / p1) + (trials - successes) * Math.log((1 - p0) / (1 - p1));
  const back = Math.max(0, e.back + z);
  const episode = {
    ...e,
    back,
    successes: e.successes + successes,
    trials: e.trials + trials,
    backSuccesses: back > 0 ? e.backSuccesses + successes : 0,
    backTrials: back > 0 ? e.backTrials + trials : 0,
  };
  return { episode, ended: back >= e.backThreshold && back > 0 };
}
