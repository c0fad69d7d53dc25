// Builds the dashboard pages' props from loaded rows (pure): ranges, chart series with
// release markers and incident bands, the overview's figures and the incident list.

import type { ReleaseRow } from "../../alerts/evaluation/baseline-ranges";
import { type Metric, metricLabel } from "../../alerts/rules/rule-metrics";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../shared/time";
import { releaseKey } from "../../window/aggregate";
import type { Bucket } from "../../window/bucket";
import {
  formatClock,
  formatCount,
  formatDay,
  formatMs,
  formatPct,
  formatUsd,
  formatWhen,
} from "../format";
import type { ReleaseLike } from "../incident-text";
import { implicatedChange, releaseDiff } from "../incident-text";
import { bandLabel, baselineBand } from "./baseline-bands";
import { type ChartLevel, chartLevels, type LevelCheck } from "./chart-levels";
import type { IncidentView, Range } from "./deployment-page";
import { explanationOf } from "./incident-explanation";
import type { ChartBand, ChartMarker, LineChartProps } from "./line-chart";
import type { OverviewDeployment } from "./overview";
import {
  type ChartSpec,
  chartOfMetric,
  chartSpecs,
  drawnMetric,
  figuresOf,
  type HourRow,
  seriesOf,
} from "./series";

export const RANGE_MS: Record<Range, number> = {
  "1h": HOUR_MS,
  "2h": 2 * HOUR_MS,
  "6h": 6 * HOUR_MS,
  "24h": DAY_MS,
  "7d": 7 * DAY_MS,
  "30d": 30 * DAY_MS,
};
/** Bucket per range: minutes up to 6 hours, hourly up to a week, 4-hourly for 30 days. */
const STEP_MS: Record<Range, number> = {
  "1h": MINUTE_MS,
  "2h": MINUTE_MS,
  "6h": MINUTE_MS,
  "24h": HOUR_MS,
  "7d": HOUR_MS,
  "30d": 4 * HOUR_MS,
};

/** [from, to] of a range: whole buckets, ending with the current one. */
export function rangeBounds(range: Range, now: number) {
  const step = STEP_MS[range];
  const to = Math.floor(now / step) * step + step;
  return { from: to - RANGE_MS[range], to, step };
}

const FORMATS: Record<ChartSpec["unit"], (v: number) => string> = {
  count: formatCount,
  share: (v) => formatPct(v),
  ms: formatMs,
  chars: (v) => `${formatCount(v)} chars`,
  score: (v) => v.toFixed(2),
  usd: formatUsd,
};

/**
 * Markers drawn per chart, and the characters of a flag and of its tooltip: labels come
 * from clients, so what one page carries must not grow with what they send.
 */
export const MAX_MARKERS = 12;
const FLAG_CHARS = 40;
const TITLE_CHARS = 200;

/** `text` cut to `max` characters, ending in "…" when cut. */
export const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** Release markers: each combination after the first, labelled with what changed; the newest MAX_MARKERS. */
export function releaseMarkers(releases: readonly ReleaseLike[]): ChartMarker[] {
  const sorted = [...releases].sort((a, b) => a.firstSeen - b.firstSeen);
  return sorted
    .slice(1)
    .map((r, k) => {
      const prev = sorted[k] ?? r;
      const diff = releaseDiff(prev, r);
      return {
        t: r.firstSeen,
        label: clip(diff.short, FLAG_CHARS),
        title: `${clip(diff.summary, TITLE_CHARS)} · first seen ${formatWhen(r.firstSeen)}`,
        compare: [releaseKey(prev), releaseKey(r)] as [string, string],
      };
    })
    .slice(-MAX_MARKERS);
}

export interface IncidentRowLike {
  id: string;
  status: string;
  severity: string;
  startedAt: number;
  firingAt: number | null;
  ackedAt: number | null;
  resolvedAt: number | null;
  silencedUntil: number | null;
  ruleId: string;
  lastCheck: Record<string, unknown> | null;
}

export function incidentViews(
  rows: readonly IncidentRowLike[],
  focusId: string | undefined,
  ruleNames: ReadonlyMap<string, string> = new Map(),
  releases: readonly ReleaseRow[] = [],
): IncidentView[] {
  return rows.map((r) => {
    const metric = typeof r.lastCheck?.metric === "string" ? r.lastCheck.metric : "";
    const message = typeof r.lastCheck?.message === "string" ? r.lastCheck.message : null;
    return {
      id: r.id,
      title: ruleNames.get(r.ruleId) ?? (metric ? metricLabel(metric as Metric) : r.ruleId),
      severity: r.severity,
      status: r.status,
      startedAt: r.startedAt,
      firingAt: r.firingAt,
      ackedAt: r.ackedAt,
      resolvedAt: r.resolvedAt,
      silencedUntil: r.silencedUntil,
      message,
      chartId: chartOfMetric(metric),
      focus: r.id === focusId,
      change: implicatedChange(releases, r.startedAt),
      explanation: explanationOf(r.lastCheck),
    };
  });
}

export interface RuleLevelCheck extends LevelCheck {
  metric: string;
  name: string;
}

/** Thresholds drawn per chart, at most: one per rule on its metric, the first rules' kept. */
export const MAX_THRESHOLDS = 3;

/** The thresholds of the rules on the metric a chart draws, from their latest checks. */
function ruleThresholds(
  checks: readonly RuleLevelCheck[],
  chartId: string,
  format: (v: number) => string,
): ChartLevel[] {
  const metric = drawnMetric(chartId);
  return checks
    .filter((c) => c.metric === metric)
    .flatMap((c) =>
      chartLevels(c, format)
        .filter((l) => l.kind === "threshold")
        .map((l) => ({ ...l, label: `${l.label} (${clip(c.name, FLAG_CHARS)})` })),
    )
    .slice(0, MAX_THRESHOLDS);
}

export function chartsOf(input: {
  rows: readonly HourRow[];
  range: Range;
  now: number;
  markers: ChartMarker[];
  incidents: readonly IncidentView[];
  /** The focused incident's rule's latest check, for its chart's baseline and threshold. */
  focusCheck?: LevelCheck | null;
  /** The baseline the checks compare with now (pinned or rolling): each chart's band. */
  baseline?: Bucket | null;
  /** Each rule's latest check: its threshold is drawn on the chart of the rule's metric. */
  ruleChecks?: readonly RuleLevelCheck[];
}): LineChartProps[] {
  const { from, to, step } = rangeBounds(input.range, input.now);
  const evalNames = [...new Set(input.rows.flatMap((r) => Object.keys(r.evals)))]
    .sort()
    .slice(0, 8);
  const formatTime = step < DAY_MS && RANGE_MS[input.range] <= DAY_MS ? formatClock : formatDay;
  const focused = input.incidents.find((i) => i.focus);
  const charts = chartSpecs(evalNames).map((spec) => {
    const bands: ChartBand[] = input.incidents
      .filter((i) => i.chartId === spec.id && i.firingAt !== null)
      .map((i) => ({
        from: i.firingAt ?? i.startedAt,
        to: i.resolvedAt ?? input.now,
        title: `${i.title}: ${i.resolvedAt ? "resolved" : "open"}`,
        focus: i.focus,
      }));
    const format = FORMATS[spec.unit];
    const levels =
      focused && input.focusCheck && focused.chartId === spec.id
        ? chartLevels(input.focusCheck, format)
        : ruleThresholds(input.ruleChecks ?? [], spec.id, format);
    const metric = drawnMetric(spec.id);
    const band = input.baseline && metric ? baselineBand(input.baseline, metric) : null;
    return {
      id: spec.id,
      title: step === MINUTE_MS ? spec.title.replace("per hour", "per minute") : spec.title,
      from,
      to,
      lines: spec.lines.map((l) => ({
        label: l.label,
        points: seriesOf(input.rows, l, { from, to, stepMs: step, sum: spec.unit === "count" }),
      })),
      format,
      formatTime,
      levels,
      baseline: band ? { lo: band.lo, hi: band.hi, label: bandLabel(band, format) } : null,
      markers: input.markers,
      bands,
      yFloor: spec.unit === "share" ? 0.05 : spec.unit === "score" ? 1 : 0,
      ...(spec.unit === "score" ? { yCap: 1 } : {}),
      focus: input.incidents.some((i) => i.focus && i.chartId === spec.id),
    };
  }); // A metric the deployment never sent in the range gets no chart (an empty axis reads as
  // data), unless an incident points at it; requests always have one.
  return charts.filter(
    (ch) =>
      ch.id === "requests" ||
      ch.lines.some((l) => l.points.some((p) => p.v !== null)) ||
      input.incidents.some((i) => i.chartId === ch.id),
  );
}

/** The overview's figures: the last 24 hours, the 7 days before, and 24 hourly sparkline points. */
export function overviewFigures(
  rows: readonly HourRow[],
  now: number,
): Pick<OverviewDeployment, "current" | "baseline" | "baselineHours" | "spark"> {
  const { from, to } = rangeBounds("24h", now);
  const current = rows.filter((r) => r.bucketStart >= from);
  const baseline = rows.filter((r) => r.bucketStart < from && r.bucketStart >= from - 7 * DAY_MS);
  const opts = { from, to, stepMs: HOUR_MS };
  const line = (
    value: (r: HourRow) => number | null,
    weight: (r: HourRow) => number = (r) => r.count,
  ) => seriesOf(current, { label: "", value, weight }, opts);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    current: figuresOf(current),
    baseline: figuresOf(baseline),
    baselineHours: baseline.filter((r) => r.count > 0).length,
    spark: {
      requests: line(
        (r) => r.count,
        () => 1,
      ),
      errors: line((r) => ratio(r.errorCount, r.count)),
      latency: line((r) => r.latencyP95),
      thumbsDown: line(
        (r) => ratio(r.feedbackDown, r.feedbackUp + r.feedbackDown),
        (r) => r.feedbackUp + r.feedbackDown,
      ),
      cost: line((r) => ratio(r.costUsd, r.count)),
    },
  };
}
