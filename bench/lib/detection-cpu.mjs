// CPU per deployment evaluation for bench/detection: the default rules on cold window pairs.
import { mergeAll, poolMinutes } from "./detection-jobs.mjs";
import { minutePool, STATIONARY } from "./detection-sim.mjs";

/**
 * CPU per deployment evaluation: all default rules on one window pair, cold (fresh copies of
 * both buckets every time, as a cron tick receives them), plus the structured clone itself as
 * a stand-in for receiving the pair over RPC.
 */
export function runCpu(a, { rate, iterations }) {
  const pool = minutePool(a, {
    seed: 7,
    params: STATIONARY,
    rate,
    minutes: poolMinutes(rate, 1e6, 60, 1000),
  });
  const current = mergeAll(a, pool.slice(0, 15));
  const baseline = mergeAll(a, pool);
  const evalMs = [];
  const cloneMs = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const pair = structuredClone({ current, baseline });
    const t1 = performance.now();
    a.evaluateRules(a.DEFAULT_RULES, { ...pair, currentMinutes: 15, baselineMinutes: pool.length });
    const t2 = performance.now();
    cloneMs.push(t1 - t0);
    evalMs.push(t2 - t1);
  }
  const warm = (xs) => xs.slice(Math.floor(xs.length / 5)).sort((x, y) => x - y);
  const stats = (xs) => {
    const s = warm(xs);
    return {
      mean: s.reduce((p, q) => p + q, 0) / s.length,
      p99: s[Math.floor(0.99 * (s.length - 1))],
    };
  };
  return { rate, rules: a.DEFAULT_RULES.length, evaluate: stats(evalMs), clone: stats(cloneMs) };
}
