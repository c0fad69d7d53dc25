// The status page's daily bars: for each of the last N UTC days, the worst state any
// incident put the deployment in that day, or "no data" for a day without traffic.
import { DAY_MS } from "../shared/time";
import { type ComponentState, dayStart, impactOf, worseOf } from "./state";

export const BAR_DAYS = 90;

export interface BarIncident {
  id: string;
  title: string;
  severity: string;
  /** Its signal's metric, which sets the day's impact with the severity (impactOf). */
  metric?: string | null;
  /** When it started firing (epoch ms); incidents that never fired are not passed in. */
  from: number;
  /** When it resolved; null while open. */
  to: number | null;
}

export interface DailyBar {
  /** Start of the UTC day (epoch ms). */
  day: number;
  state: ComponentState;
  /** Incidents that were firing at some time during the day. */
  incidents: BarIncident[];
}

/**
 * Bars for the `days` UTC days ending with today, oldest first. `trafficDays` holds the
 * day starts with at least one event; an incident makes a day count even without them.
 */
export function dailyBars(input: {
  now: number;
  incidents: readonly BarIncident[];
  trafficDays: ReadonlySet<number>;
  days?: number;
}): DailyBar[] {
  const days = input.days ?? BAR_DAYS;
  const today = dayStart(input.now);
  const bars: DailyBar[] = [];
  for (let k = days - 1; k >= 0; k--) {
    const day = today - k * DAY_MS;
    const end = day + DAY_MS;
    const incidents = input.incidents.filter((i) => i.from < end && (i.to ?? input.now) >= day);
    let state: ComponentState = input.trafficDays.has(day) ? "operational" : "no_data";
    for (const i of incidents) state = worseOf(state, impactOf(i.metric, i.severity));
    bars.push({ day, state, incidents });
  }
  return bars;
}

/** Share of days with data that had no incident, for "99.4 % of days without incident". */
export function cleanDayShare(bars: readonly DailyBar[]): number | null {
  const judged = bars.filter((b) => b.state !== "no_data");
  if (judged.length === 0) return null;
  return judged.filter((b) => b.state === "operational").length / judged.length;
}

export interface BarRun {
  /** Index of the first day in the bars. */
  start: number;
  length: number;
  state: DailyBar["state"];
  bars: DailyBar[];
}

/**
 * Consecutive quiet days of one state drawn as one shape (with one tooltip naming the
 * range); a day with incidents always stands alone so its tooltip can list them. This is
 * what keeps ten deployments' 90 days within the page's weight budget.
 */
export function barRuns(bars: readonly DailyBar[]): BarRun[] {
  const runs: BarRun[] = [];
  for (const [i, bar] of bars.entries()) {
    const last = runs.at(-1);
    const quiet = bar.incidents.length === 0;
    const lastQuiet = last?.bars.every((b) => b.incidents.length === 0);
    if (last && quiet && lastQuiet && last.state === bar.state) {
      last.length++;
      last.bars.push(bar);
    } else {
      runs.push({ start: i, length: 1, state: bar.state, bars: [bar] });
    }
  }
  return runs;
}
