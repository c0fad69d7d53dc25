// Two measurements of bench/detection, each a plain function of the bundled engine: false
// alarms on a stationary month and detection delay after a step change.
import { minutePool, rng, SCENARIOS, STATIONARY } from "./detection-sim.mjs";
import { evidentlyRules, fixedPsiRules, staticRules } from "./rule-sets.mjs";
import { IncidentTracker, SlidingWindow } from "./sliding.mjs";

const HOUR = 60;
const BASELINE_HOURS = 168;

export function ruleSets(a, rate, rated = STATIONARY.rated) {
  const parse = (rules) => rules.map((r) => a.RuleSchema.parse(r));
  return {
    default: [...a.DEFAULT_RULES],
    design: a.DEFAULT_RULES.map((r) => designRule(a, r)),
    evidently: parse(evidentlyRules(a, rate, rated)),
    static: parse(staticRules()),
    fixedPsi: parse(fixedPsiRules()),
  };
}

/** A default rule with its first thresholds, before tuning: no Poisson tail, mixes at 0.001. */
function designRule(a, rule) {
  const { alpha, ...rest } = rule;
  const id = rule.id.replace("default:", "design:");
  if (rule.test === "z_test") return a.RuleSchema.parse({ ...rest, id });
  if (rule.test === "chi_squared") return a.RuleSchema.parse({ ...rest, id, alpha: 0.001 });
  return { ...rule, id };
}

export const poolMinutes = (rate, events, lo, hi) =>
  Math.max(lo, Math.min(hi, Math.round(events / rate)));

export function mergeAll(a, buckets) {
  const out = a.emptyBucket();
  for (const b of buckets) a.mergeBuckets(out, b);
  return out;
}

/** Only the traffic rule reads the 5-minute window, and only its interaction count. */
function countsOnly(a, buckets) {
  const out = a.emptyBucket();
  for (const b of buckets) out.counters.count += b.counters.count;
  return out;
}

/**
 * A stationary stream evaluated every minute for `days`: a 15-minute sliding window against a
 * rolling baseline of the 168 complete hours before the last one, rebuilt hourly. Minutes are
 * drawn at random from a pool of simulated minutes (the stream is stationary, so this is a
 * sample from the same distribution at a fraction of the event-generation cost).
 */
export function runFalseAlarms(a, { rate, days, seed }) {
  const pool = minutePool(a, {
    seed,
    params: STATIONARY,
    rate,
    minutes: poolMinutes(rate, 2.5e6, 240, 5000),
  });
  const r = rng(seed ^ 0x5eed);
  const draw = () => pool[Math.floor(r() * pool.length)];
  const hourBucket = () => mergeAll(a, Array.from({ length: HOUR }, draw));
  const hours = Array.from({ length: BASELINE_HOURS + 1 }, hourBucket);
  let baseline = mergeAll(a, hours.slice(0, BASELINE_HOURS));
  const sets = ruleSets(a, rate);
  const trackers = Object.fromEntries(
    Object.entries(sets).map(([k, rules]) => [k, new IncidentTracker(rules)]),
  );
  const window = new SlidingWindow(a, 15);
  const recent = [];
  let hourAcc = a.emptyBucket();
  for (let m = 0; m < 15; m++) window.push(draw());
  const minutes = days * 24 * HOUR;
  for (let t = 0; t < minutes; t++) {
    const minute = draw();
    window.push(minute);
    recent.push(minute);
    if (recent.length > 5) recent.shift();
    a.mergeBuckets(hourAcc, minute);
    if ((t + 1) % HOUR === 0) {
      hours.push(hourAcc);
      hours.shift();
      hourAcc = a.emptyBucket();
      baseline = mergeAll(a, hours.slice(0, BASELINE_HOURS)); // excludes the newest hour
    }
    const baselineMinutes = BASELINE_HOURS * HOUR;
    const common = {
      baseline,
      baselineMinutes,
      baselineVolumePerMinute: baseline.counters.count / baselineMinutes,
    };
    const input15 = { ...common, current: window.window(), currentMinutes: 15 };
    const input5 = { ...common, current: countsOnly(a, recent), currentMinutes: 5 };
    const inputFor = (w) => (w === 5 ? input5 : input15);
    for (const [k, rules] of Object.entries(sets))
      trackers[k].step(a.evaluateRules(rules, inputFor), t);
  }
  const perMonth = (n) => (n * 30) / days;
  return {
    rate,
    days,
    pool: pool.length,
    sets: Object.fromEntries(
      Object.entries(trackers).map(([k, tr]) => [
        k,
        {
          incidents: tr.total,
          perMonth: perMonth(tr.total),
          byRule: Object.fromEntries(tr.incidents),
        },
      ]),
    ),
  };
}

/**
 * Step changes: R replicates of a stationary 15-minute window followed by changed minutes,
 * evaluated every minute until each rule set fires a rule on the scenario's metric, or until
 * `horizon` minutes. The baseline is the merged stationary pool.
 */
export function runDetection(a, { rate, scenario: key, replicates, horizon, seed }) {
  const scenario = SCENARIOS.find((s) => s.key === key);
  const baseParams = scenario.base ? scenario.base(STATIONARY) : STATIONARY;
  const basePool = minutePool(a, {
    seed,
    params: baseParams,
    rate,
    minutes: poolMinutes(rate, 1e6, 60, 2000),
  });
  const baseline = mergeAll(a, basePool);
  const sets = ruleSets(a, rate, baseParams.rated);
  const watched = Object.fromEntries(
    Object.entries(sets).map(([k, rules]) => [
      k,
      rules.filter((r) => scenario.metrics.includes(r.metric)),
    ]),
  );
  const r = rng(seed ^ 0xd1ff);
  const effects = [];
  for (const [e, effect] of scenario.effects.entries()) {
    const changed = minutePool(a, {
      seed: seed + 101 * (e + 1),
      params: scenario.apply(baseParams, effect),
      rate,
      minutes: poolMinutes(rate, 3e5, 30, 400),
    });
    const delays = Object.fromEntries(Object.keys(sets).map((k) => [k, []]));
    for (let rep = 0; rep < replicates; rep++) {
      const window = new SlidingWindow(a, 15);
      for (let m = 0; m < 15; m++) window.push(basePool[Math.floor(r() * basePool.length)]);
      const trackers = Object.fromEntries(
        Object.entries(watched).map(([k, rules]) => [k, new IncidentTracker(rules)]),
      );
      const pending = new Set(Object.keys(sets).filter((k) => watched[k].length > 0));
      let events = 0;
      for (let t = 1; t <= horizon && pending.size > 0; t++) {
        const minute = changed[Math.floor(r() * changed.length)];
        events += minute.counters.count;
        window.push(minute);
        const input = {
          current: window.window(),
          baseline,
          currentMinutes: 15,
          baselineMinutes: basePool.length,
        };
        for (const k of [...pending]) {
          if (trackers[k].step(a.evaluateRules(watched[k], input), t).length > 0) {
            delays[k].push({ minutes: t, events });
            pending.delete(k);
          }
        }
      }
      for (const k of pending) delays[k].push(null);
    }
    effects.push({
      effect,
      label: scenario.show(effect),
      delays,
      covered: Object.fromEntries(Object.entries(watched).map(([k, v]) => [k, v.length > 0])),
    });
  }
  return { rate, scenario: key, effects };
}
