// Number formatting for check messages: percentages, points, units, significant digits.
import type { Metric } from "../rules/rule-metrics";
import { metricKind } from "../rules/rule-metrics";

/** x rounded to `decimals`, trailing zeros dropped, thousands grouped with commas. */
function fixed(x: number, decimals: number): string {
  let text = x.toFixed(decimals);
  if (decimals > 0) {
    let end = text.length;
    while (text.charCodeAt(end - 1) === 48) end--; // "0"
    if (text.charCodeAt(end - 1) === 46) end--; // "."
    text = text.slice(0, end);
  }
  if (text === "-0") return "0";
  if (Math.abs(x) < 1000) return text;
  const point = text.indexOf(".");
  const whole = point < 0 ? text : text.slice(0, point);
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  let grouped = "";
  for (let i = digits.length; i > 0; i -= 3) {
    grouped = digits.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : "");
  }
  return sign + grouped + (point < 0 ? "" : text.slice(point));
}

// NOTE: not Intl.NumberFormat: formatting runs for every rule of every deployment every
// minute, and ICU formatting cost more than the statistics.
/** Up to `digits` significant digits, no exponent for everyday magnitudes, grouped thousands. */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e15) {
    return fixed(x, Math.min(20, Math.max(0, digits - 1 - Math.floor(Math.log10(abs)))));
  }
  return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
}

/** 0.121 → "12.1 %". */
export const pct = (p: number) => `${num(p * 100, 3)} %`;

/** A proportion difference in percentage points: 0.071 → "7.1 pts". */
export const pts = (d: number) => `${num(d * 100, 2)} pts`;

/** A value of `metric` with its unit: "2,410 ms", "$0.0042", "0.72". */
export function withUnit(metric: Metric, x: number): string {
  if (metric === "latency_ms" || metric === "ttft_ms") return `${num(x)} ms`;
  if (metric === "output_chars") return `${num(x)} chars`;
  if (metric === "output_tokens") return `${num(x)} tokens`;
  if (metric === "cost_per_request") return `$${num(x, 2)}`;
  if (metric === "traffic") return `${num(x)}/min`;
  if (metricKind(metric) === "rate") return pct(x);
  return num(x);
}

/** The unit notification renderers append to value and baseline, or null. */
export function unitOf(metric: Metric): string | null {
  if (metric === "latency_ms" || metric === "ttft_ms") return "ms";
  if (metric === "output_chars") return "chars";
  if (metric === "output_tokens") return "tokens";
  if (metric === "cost_per_request") return "USD";
  if (metric === "traffic") return "events/min";
  return metricKind(metric) === "rate" ? "ratio" : null;
}
