// The levels drawn across an incident's chart (pure): the baseline its rule compares with
// and the rule's threshold turned into the chart's own unit, from the rule's latest check.
// A z-test's threshold is a z score, so its level is the value at which z would reach the
// threshold with the last check's sample sizes (z grows linearly with the difference).
// Tests whose statistic is not a value of the metric (PSI, KS, Wasserstein, chi-squared,
// CUSUM) draw the baseline only.

export interface ChartLevel {
  v: number;
  kind: "baseline" | "threshold";
  label: string;
}

export interface LevelCheck {
  test: string;
  value: number | null;
  baselineValue: number | null;
  statistic: number | null;
  threshold: number | null;
}

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

function thresholdLevel(c: LevelCheck): number | null {
  const { value, baselineValue: base, statistic, threshold } = c;
  if (!finite(threshold)) return null;
  if (c.test === "static") return threshold;
  if (!finite(base)) return null;
  if (c.test === "quantile_ratio" || c.test === "ratio") {
    // "down" alerts at 1/threshold: the side the current value is on says which.
    return finite(value) && value < base ? base / threshold : base * threshold;
  }
  if (c.test === "traffic_drop") return base * (1 - threshold);
  if (c.test === "z_test" && finite(value) && finite(statistic) && statistic !== 0) {
    return base + ((value - base) * threshold) / statistic;
  }
  return null;
}

export function chartLevels(c: LevelCheck, format: (v: number) => string): ChartLevel[] {
  const out: ChartLevel[] = [];
  if (finite(c.baselineValue)) {
    out.push({
      v: c.baselineValue,
      kind: "baseline",
      label: `baseline ${format(c.baselineValue)}`,
    });
  }
  const level = thresholdLevel(c);
  if (level !== null && Number.isFinite(level) && level >= 0) {
    out.push({ v: level, kind: "threshold", label: `threshold ${format(level)}` });
  }
  return out;
}
