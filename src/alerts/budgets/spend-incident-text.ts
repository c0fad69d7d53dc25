// What a spend alert's incident is called and which conditions drove it, for readers that
// have no drift rule to name it by (the dashboard's incident page): budget alerts (rule id
// `budget:<id>:fast|slow|forecast`) and user-share alerts (`user_share:<id>`). Pure.
import { BURN_PAIRS } from "../../spend/burn-rate";

const windowName = (ms: number) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`);

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export interface SpendIncidentText {
  title: string;
  conditions: [string, string][];
}

/** The title and conditions of a spend alert's incident; null for any other rule. */
export function spendIncidentText(
  ruleId: string,
  budgetName: string | null,
  lastCheck: Record<string, unknown> | null,
): SpendIncidentText | null {
  const check = lastCheck ?? {};
  if (ruleId.startsWith("user_share:")) {
    const percent = num(check.threshold);
    return {
      title: `One user above ${percent ?? "?"} % of the last hour's spend`,
      conditions: [
        ["Alert", "user share (opt-in rule)"],
        [
          "Fires when",
          `one user's lower-bound share is above ${percent ?? "?"} % and its cost at least the rule's minimum`,
        ],
        ["Window", "the previous UTC hour and the current one (hourly sketches)"],
        ["Rule", ruleId.slice("user_share:".length)],
      ],
    };
  }
  const match = /^budget:(.+):(fast|slow|forecast)$/.exec(ruleId);
  if (!match) return null;
  const budget = `Budget "${budgetName ?? match[1]}"`;
  if (match[2] === "forecast") {
    return {
      title: `${budget}: forecast above the amount`,
      conditions: [
        ["Alert", "forecast exceeds budget (warning)"],
        ["Fires when", "the forecast for the period's end is above the budget's amount"],
        ["Resolves when", "the forecast is back within the amount"],
      ],
    };
  }
  const pair = BURN_PAIRS.find((p) => p.id === match[2]);
  if (!pair) return null;
  return {
    title: `${budget}: ${pair.id} burn (≥ ${pair.factor}× its even pace)`,
    conditions: [
      ["Alert", `${pair.id} burn (${pair.severity})`],
      [
        "Fires when",
        `the last ${windowName(pair.longMs)} and the last ${windowName(pair.shortMs)} both burn at ≥ ${pair.factor}× the even pace`,
      ],
      ["Resolves when", `either window burns below ${pair.factor}×`],
    ],
  };
}
