// The 90 daily bars of a deployment: quiet runs of days share one element striped into days
// by the stylesheet, each incident day is its own element with its own tooltip.
import { type BarRun, barRuns, type DailyBar } from "./daily-bars";
import { useLabels } from "./i18n/context";
import { ENGLISH, type Labels } from "./i18n/labels";
import { STATES } from "./state";

/** One-letter classes (.bars .d …): a page holds hundreds of these runs. */
const BAR_CLASS = {
  operational: "o",
  degraded: "d",
  major_outage: "m",
  no_data: "n",
} as const;

function runTitle(run: BarRun, t: Labels): string {
  const first = run.bars[0];
  const last = run.bars.at(-1);
  if (!first || !last) return "";
  const dates = t.days(first.day, last.day);
  const incidents = first.incidents.map((i) => t.incidentTitle(i.metric, i.title));
  // A quiet run says so in two words; its state ("Operational") adds nothing (bytes count).
  if (incidents.length === 0 && run.state === "operational") return `${dates} · ${t.quietDays}`;
  const detail = incidents.length > 0 ? `: ${incidents.join("; ")}` : "";
  return `${dates} · ${t.state[run.state]}${detail}`;
}

/** Only the first letter: German nouns keep their capital ("keine Daten"). */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Screen-reader summary: how many days in each state ("60 no data", "60 keine Daten"). */
export function barsSummary(bars: readonly DailyBar[], t: Labels = ENGLISH): string {
  const counts = STATES.map((s) => [s, bars.filter((b) => b.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${lowerFirst(t.state[s])}`);
  return `${t.lastDays(bars.length)}: ${counts.join(", ")}`;
}

/**
 * A flex row of runs, each as wide as its days (`--l`, 1 by default) and striped into one
 * bar per day by the stylesheet (.bars i): HTML with a `title` per run weighs about half of
 * an SVG `<rect>` with its `<title>`, and needs no viewBox or pattern.
 */
export function DailyBars(props: { bars: readonly DailyBar[] }) {
  const t = useLabels();
  return (
    <div class="bars" role="img" aria-label={barsSummary(props.bars, t)}>
      {barRuns(props.bars).map((run) => (
        // Operational, the commonest run, is the default colour: no class at all.
        <i
          class={run.state === "operational" ? undefined : BAR_CLASS[run.state]}
          style={run.length > 1 ? `--l:${run.length}` : undefined}
          title={runTitle(run, t)}
        />
      ))}
    </div>
  );
}
