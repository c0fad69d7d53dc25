// Probes shown on the public page as components of their own (pure): each day's share of
// runs whose answer passed every assertion becomes a daily bar, and the runs kept (at most
// 30 days, src/probes/run-store.ts) give the "99.3 % of 412 runs correct" figure.
import { DAY_MS } from "../shared/time";
import { BAR_DAYS, type BarIncident, type DailyBar } from "./daily-bars";
import { type ComponentState, dayStart } from "./state";

/** One probe's runs on one UTC day, as page-data reads them (a GROUP BY, not the rows). */
export interface ProbeDayRowIn {
  probeId: string;
  /** Start of the UTC day (epoch ms). */
  day: number;
  runs: number;
  /** Runs whose outcome was `pass`. */
  passed: number;
}

export interface StatusProbeComponent {
  /** `probe/${id}`: never collides with a deployment's `${environment}/${slug}`. */
  id: string;
  name: string;
  /** The latest day with runs (today or yesterday), else no data. */
  state: ComponentState;
  bars: DailyBar[];
  /** Share of the runs kept that passed; null without runs. */
  correct: number | null;
  runs: number;
  /** The group it is shown under (page settings), or null. */
  group: string | null;
}

/** A day with wrong answers: a minority of runs degrades it, a majority is an outage. */
export function probeDayState(runs: number, passed: number): ComponentState {
  if (runs <= 0) return "no_data";
  const failed = runs - passed;
  if (failed <= 0) return "operational";
  return failed * 2 <= runs ? "degraded" : "major_outage";
}

export function probeComponents(input: {
  probes: readonly { id: string; name: string; group?: string }[];
  days: readonly ProbeDayRowIn[];
  now: number;
}): StatusProbeComponent[] {
  const today = dayStart(input.now);
  return input.probes.map((probe) => {
    const byDay = new Map(
      input.days.filter((d) => d.probeId === probe.id).map((d) => [Number(d.day), d]),
    );
    let runs = 0;
    let passed = 0;
    const bars: DailyBar[] = [];
    for (let k = BAR_DAYS - 1; k >= 0; k--) {
      const day = today - k * DAY_MS;
      const row = byDay.get(day);
      const state = probeDayState(row?.runs ?? 0, row?.passed ?? 0);
      runs += row?.runs ?? 0;
      passed += row?.passed ?? 0;
      // A day with wrong answers stands alone in the bars, its tooltip saying how many.
      const incidents: BarIncident[] =
        row && row.passed < row.runs
          ? [
              {
                id: `${probe.id}-${day}`,
                title: `${row.runs - row.passed} of ${row.runs} runs wrong`,
                severity: state === "major_outage" ? "critical" : "warning",
                from: day,
                to: day + DAY_MS - 1,
              },
            ]
          : [];
      bars.push({ day, state, incidents });
    }
    const recent = bars
      .slice(-2)
      .reverse()
      .find((b) => b.state !== "no_data");
    return {
      id: `probe/${probe.id}`,
      name: probe.name,
      state: recent?.state ?? "no_data",
      bars,
      correct: runs > 0 ? passed / runs : null,
      runs,
      group: probe.group ?? null,
    };
  });
}
