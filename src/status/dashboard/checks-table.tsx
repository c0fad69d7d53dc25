// Drift checks as a table: each rule's latest check on the deployment page, and the rule's
// checks during an incident on the incident's page. One outcome cell and one number format
// for both, so the two pages never read a check differently.
import { formatWhen } from "../format";

export interface CheckRowView {
  minute: number;
  outcome: string;
  statistic: number | null;
  threshold: number | null;
  message: string;
  /** The metric's value the check saw (the incident page shows it). */
  value?: number | null;
  /** The rule checked, when the rows are one per rule (the deployment page). */
  rule?: { id: string; name: string; test: string };
}

/** A statistic or value: whole from 100, 2 decimals from 1, 2 significant digits below. */
export const checkNumber = (v: unknown) =>
  typeof v !== "number" || !Number.isFinite(v)
    ? "–"
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toPrecision(2);

/** A check's outcome as a cell: Fail, Pass, or what kept it from deciding ("no data"). */
export function OutcomeCell({ outcome }: { outcome: string }) {
  const [css, word] =
    outcome === "breach"
      ? ["fail", "Fail"]
      : outcome === "ok"
        ? ["ok", "Pass"]
        : ["na", outcome.replaceAll("_", " ")];
  return <td class={css}>{word}</td>;
}

/**
 * One row per check: by rule (rule, test, result, statistic, threshold, detail) or by
 * minute (minute, result, value, statistic, threshold, detail).
 */
export function ChecksTable({ rows, by }: { rows: CheckRowView[]; by: "rule" | "minute" }) {
  const perRule = by === "rule";
  return (
    <div class="card scroll" style="padding:4px 8px">
      <table>
        <thead>
          <tr>
            {perRule ? <th scope="col">Rule</th> : <th scope="col">Minute</th>}
            {perRule ? <th scope="col">Test</th> : null}
            <th scope="col">Result</th>
            {perRule ? null : <th scope="col">Value</th>}
            <th scope="col">Statistic</th>
            <th scope="col">Threshold</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => (
            <tr data-outcome={k.outcome}>
              {perRule ? (
                <td>
                  {k.rule?.name}
                  <div class="muted small">{k.rule?.id}</div>
                </td>
              ) : (
                <td class="num">{formatWhen(k.minute)}</td>
              )}
              {perRule ? <td>{k.rule?.test ?? "–"}</td> : null}
              <OutcomeCell outcome={k.outcome} />
              {perRule ? null : <td class="num">{checkNumber(k.value)}</td>}
              <td class="num">{checkNumber(k.statistic)}</td>
              <td class="num">{checkNumber(k.threshold)}</td>
              <td class="muted small">{k.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
