// The 90 daily bars of a deployment as one small SVG: quiet runs of days share a shape
// filled with a bar pattern, each incident day is its own shape with its own tooltip.
import { type BarRun, barRuns, type DailyBar } from "./daily-bars";
import { useLabels } from "./i18n/context";
import { ENGLISH, type Labels } from "./i18n/labels";
import { STATES } from "./state";

/** One-letter classes (.bars .o …): a page holds hundreds of these shapes. */
const BAR_CLASS = {
  operational: "o",
  degraded: "d",
  major_outage: "m",
  no_data: "n",
} as const;

/** The state colours (CSS variables, so dark mode recolours the patterns too). */
const BAR_FILL = {
  operational: "var(--op)",
  degraded: "var(--deg)",
  major_outage: "var(--out)",
  no_data: "var(--nd)",
} as const;

/** One day's slot in user units: a 6-unit bar and a 2-unit gap. */
const SLOT = 8;
const HEIGHT = 34;

/** The bar patterns, once per page; every bars SVG fills its shapes with them. */
export function BarPatterns() {
  return (
    <svg width="0" height="0" aria-hidden="true" style="position:absolute">
      <defs>
        {STATES.map((s) => (
          <pattern
            id={`p${BAR_CLASS[s]}`}
            width={SLOT}
            height={HEIGHT}
            patternUnits="userSpaceOnUse"
          >
            <rect width={SLOT - 2} height={HEIGHT} rx="1.5" fill={BAR_FILL[s]} />
          </pattern>
        ))}
      </defs>
    </svg>
  );
}

function runTitle(run: BarRun, t: Labels): string {
  const first = run.bars[0];
  const last = run.bars.at(-1);
  if (!first || !last) return "";
  const dates = run.length === 1 ? t.day(first.day) : `${t.day(first.day)} – ${t.day(last.day)}`;
  const incidents = first.incidents.map((i) => t.incidentTitle(i.metric, i.title));
  // A quiet run says so in two words; its state ("Operational") adds nothing (bytes count).
  if (incidents.length === 0 && run.state === "operational") return `${dates} · ${t.quietDays}`;
  const detail = incidents.length > 0 ? `: ${incidents.join("; ")}` : "";
  return `${dates} · ${t.state[run.state]}${detail}`;
}

/** Screen-reader summary: how many days in each state. */
export function barsSummary(bars: readonly DailyBar[], t: Labels = ENGLISH): string {
  const counts = STATES.map((s) => [s, bars.filter((b) => b.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${t.state[s].toLowerCase()}`);
  return `${t.lastDays(bars.length)}: ${counts.join(", ")}`;
}

export function DailyBars(props: { bars: readonly DailyBar[] }) {
  const t = useLabels();
  const width = props.bars.length * SLOT - 2;
  return (
    <svg
      class="bars"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={barsSummary(props.bars, t)}
    >
      {barRuns(props.bars).map((run) => (
        // Height and fill come from the stylesheet (.bars rect, .b-<state>): bytes per bar count.
        // Operational, the commonest run, is the default fill: no class at all.
        <rect
          x={run.start * SLOT}
          width={run.length * SLOT - 2}
          class={run.state === "operational" ? undefined : BAR_CLASS[run.state]}
        >
          <title>{runTitle(run, t)}</title>
        </rect>
      ))}
    </svg>
  );
}
