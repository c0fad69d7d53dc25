// How big an incident's change is and where it is, on its dashboard card: the effect with its
// 95 % interval and the segments that carry it (or "everywhere"), read from its last check
// (src/alerts/evaluation/effect-size.ts, attribution.ts). The public status page shows none
// of it.

export interface ExplanationSegment {
  name: string;
  shareOfExcess: number;
  shareOfTraffic: number;
  rate: number;
  baselineRate: number | null;
  /** How rate and baselineRate read: "812 ms" for a distribution rule, "31.0 %" otherwise. */
  unit: string | null;
}

export interface IncidentExplanationView {
  /** "thumbs-down rate +25.7 points (95 % CI 19.8 to 31.5)", or null. */
  effect: string | null;
  /** null: not attributed; []: everywhere. */
  segments: ExplanationSegment[] | null;
}

const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);
const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
const obj = (x: unknown): Record<string, unknown> | null =>
  typeof x === "object" && x !== null ? (x as Record<string, unknown>) : null;

/** What the card shows, from the stored last check (JSON of any age: missing fields are skipped). */
export function explanationOf(
  lastCheck: Record<string, unknown> | null,
): IncidentExplanationView | null {
  const effect = obj(lastCheck?.effect_size);
  const of = str(effect?.of);
  const text = str(effect?.text);
  const attribution = obj(lastCheck?.attribution);
  const rows = Array.isArray(attribution?.segments) ? attribution.segments : null;
  const unit = str(lastCheck?.unit) ?? "";
  const segments =
    rows === null
      ? null
      : rows.flatMap((raw) => {
          const s = obj(raw);
          const name = str(s?.name);
          const share = num(s?.share_of_excess);
          const traffic = num(s?.share_of_traffic);
          const rate = num(s?.rate);
          if (name === null || share === null || traffic === null || rate === null) return [];
          return [
            {
              name,
              shareOfExcess: share,
              shareOfTraffic: traffic,
              rate,
              baselineRate: num(s?.baseline_rate),
              unit:
                s?.measure === "typical_value" ? unit : s?.measure === "requests" ? "/min" : null,
            },
          ];
        });
  const effectText = of !== null && text !== null ? `${of} ${text}` : null;
  if (effectText === null && segments === null) return null;
  return { effect: effectText, segments };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
// Small values (a cost per request of $0.0032) keep two significant digits.
const plain = (x: number) =>
  x >= 100
    ? Math.round(x).toLocaleString("en")
    : x !== 0 && Math.abs(x) < 0.1
      ? x.toPrecision(2)
      : x.toFixed(2);
const shownValue = (x: number, unit: string | null) =>
  unit === null ? pct(x) : `${plain(x)}${unit ? ` ${unit}` : ""}`;

export function IncidentExplanation({ e }: { e: IncidentExplanationView | null }) {
  if (!e) return null;
  return (
    <div class="explanation" data-explanation>
      {e.effect ? (
        <p class="small" style="margin:.3rem 0 0">
          Effect: {e.effect}
        </p>
      ) : null}
      {e.segments === null ? null : e.segments.length === 0 ? (
        <p class="small" style="margin:.3rem 0 0">
          Where: everywhere (no segment stands out)
        </p>
      ) : (
        <table aria-label="Where the change is" style="margin-top:.3rem">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col">Share of the excess</th>
              <th scope="col">Baseline → now</th>
              <th scope="col">Share of traffic</th>
            </tr>
          </thead>
          <tbody>
            {e.segments.map((s) => (
              <tr>
                <td>{s.name}</td>
                <td>
                  <span
                    class="bar"
                    style={`display:inline-block;height:.6rem;background:currentColor;opacity:.5;width:${Math.round(Math.min(1, Math.max(0, s.shareOfExcess)) * 4)}rem`}
                  />{" "}
                  {Math.round(Math.min(1, s.shareOfExcess) * 100)} %
                </td>
                <td>
                  {s.baselineRate === null ? "new" : shownValue(s.baselineRate, s.unit)} →{" "}
                  {shownValue(s.rate, s.unit)}
                </td>
                <td>{pct(s.shareOfTraffic)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
