// The "one user drives the deployment's spend" decision, pure. It reads a merged top-k
// sketch (src/spend/top-k.ts), whose estimates are never above the truth and at most
// `decrement` below it. The rule fires only on the lower bound: the estimate itself must be
// above `percent` % of the total and at least `minUsd`. So a firing alert is never caused by
// the sketch's error (a user's true share is at least the share it reports); a user whose
// true share is within `decrement / total` (≤ 1/33) above the line may be missed until
// its lead grows.

export interface UserShareRule {
  percent: number;
  minUsd: number;
}

export interface SketchReading {
  total: number;
  decrement: number;
  entries: readonly { key: string; weight: number; requests: number }[];
}

export interface UserShareVerdict {
  breach: boolean;
  /** The heaviest user (hashed), or null when nothing was spent. */
  user: string | null;
  /** Its cost: at least this (the sketch never overcounts) … */
  costUsd: number;
  /** … and at most this. */
  costUsdMax: number;
  /** costUsd / total and costUsdMax / total. */
  shareLow: number;
  shareHigh: number;
  totalUsd: number;
}

export function userShareVerdict(
  reading: SketchReading | null,
  rule: UserShareRule,
): UserShareVerdict {
  const top = reading?.entries[0];
  if (!reading || !top || !(reading.total > 0)) {
    return {
      breach: false,
      user: null,
      costUsd: 0,
      costUsdMax: 0,
      shareLow: 0,
      shareHigh: 0,
      totalUsd: reading?.total ?? 0,
    };
  }
  const costUsdMax = Math.min(top.weight + reading.decrement, reading.total);
  const shareLow = top.weight / reading.total;
  return {
    breach: shareLow * 100 > rule.percent && top.weight >= rule.minUsd,
    user: top.key,
    costUsd: top.weight,
    costUsdMax,
    shareLow,
    shareHigh: costUsdMax / reading.total,
    totalUsd: reading.total,
  };
}
