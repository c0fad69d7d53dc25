// Where a traffic drop is: the segments whose requests fell short of what the baseline
// expects of them. A dimension's expected requests are the window's expected traffic ×
// the share of the baseline's traffic that carries the dimension (a tag only some requests
// carry expects only their part); a segment's, those × its share of the dimension's
// baseline requests. Its missing requests are expected − observed, its share of the missing
// is that over the dimension's. It stands out when its lift (observed ÷ expected) is below
// the rest's improbably far: segmentExcess with no prior (a log odds ratio of the window's
// mix against the baseline's), Holm's correction at ATTRIBUTION_ALPHA over every segment
// looked at. A drop everywhere lowers every segment alike, so none stands out.
// Releases and prompt versions are not looked at: a new one takes over the old one's
// requests by design, which is no loss.
import { segmentExcess } from "../../drift";
import type { SegmentCounts } from "../../window/segment-counts";
import type { CheckInput } from "./check-result";
import type { Attribution } from "./effect-types";
import { num } from "./format";
import {
  excessSegment,
  lookedAt,
  shareText,
  standingOut,
  type TestedSegment,
} from "./segment-naming";

/** Dimensions whose values replace one another, so a value's vanishing is no drop. */
const REPLACED = new Set(["release", "prompt_version"]);

const own = <T>(r: Record<string, T> | undefined | null, k: string): T | undefined =>
  r && Object.hasOwn(r, k) ? r[k] : undefined;
const requests = (values: Record<string, number[]>) =>
  Object.values(values).reduce((a, row) => a + (row[0] ?? 0), 0);

/**
 * The segments that carry a drop: `expected` is the window's expected requests over
 * `minutes`; `current` and `baseline` the window's and the baseline's segment counts.
 */
export function attributeVolume(
  current: SegmentCounts,
  baseline: SegmentCounts,
  expected: number,
  minutes: number,
): Attribution | null {
  const dims = Object.keys(baseline).filter((d) => !REPLACED.has(d));
  // The dimension carried by the most baseline requests counts as all of them.
  const all = Math.max(0, ...dims.map((d) => requests(own(baseline, d) ?? {})));
  if (all === 0 || expected <= 0) return null;
  const rows: TestedSegment[] = [];
  for (const dimension of dims) {
    const before = own(baseline, dimension) ?? {};
    const now = own(current, dimension) ?? {};
    const values = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
    if (values.length < 2) continue; // one value: nothing to tell apart
    const baseTotal = requests(before);
    const dimExpected = (expected * baseTotal) / all;
    const observedTotal = requests(now);
    const inputs = values.map((value) => ({
      observed: own(now, value)?.[0] ?? 0,
      trials: dimExpected,
      baselineObserved: own(before, value)?.[0] ?? 0,
      baselineTrials: baseTotal,
    }));
    segmentExcess(inputs, 0, false, 0).forEach((x, i) => {
      const value = values[i] ?? "";
      const s = inputs[i];
      if (!s) return;
      rows.push(
        excessSegment(dimension, value, s.observed, x, {
          trials: s.observed,
          share_of_traffic: observedTotal > 0 ? s.observed / observedTotal : 0,
          rate: s.observed / minutes,
          baseline_rate: s.baselineObserved > 0 ? x.expected / minutes : null,
          measure: "requests",
        }),
      );
    });
  }
  if (rows.length === 0) return null;
  const found = standingOut(rows);
  const looked = lookedAt(rows.length);
  const perMinute = (x: number) => `${num(x)}/min`;
  const text =
    found.length === 0
      ? `everywhere: no segment stands out (${looked})`
      : `${found
          .map((s, i) => {
            const lead = i === 0 ? "of the missing requests are from " : "from ";
            const from = s.baseline_rate === null ? "new" : perMinute(s.baseline_rate);
            return `${shareText(s.share_of_excess)} ${lead}${s.name} (expected ${from} → ${perMinute(s.rate)})`;
          })
          .join("; ")} (${looked})`;
  return { everywhere: found.length === 0, looked_at: rows.length, segments: found, text };
}

/** A firing traffic drop's attribution; null without the window's and baseline's segments. */
export function trafficAttribution(
  input: CheckInput,
  perMinute: number | null,
): Attribution | null {
  const segments = input.segments;
  if (!segments?.baseline || perMinute === null) return null;
  return attributeVolume(
    segments.current,
    segments.baseline,
    perMinute * input.currentMinutes,
    input.currentMinutes,
  );
}
