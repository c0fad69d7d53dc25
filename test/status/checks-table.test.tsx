// The drift checks table both dashboard pages draw: one outcome cell, one number format.
import { describe, expect, it } from "vitest";
import {
  type CheckRowView,
  ChecksTable,
  checkNumber,
} from "../../src/status/dashboard/checks-table";

const rows: CheckRowView[] = [
  {
    minute: Date.UTC(2026, 11, 7, 5, 0),
    outcome: "breach",
    value: 0.2,
    statistic: 6.1234,
    threshold: 4,
    message: "error rate 20 % vs 1 %",
    rule: { id: "default:error_rate", name: "Error rate rose", test: "z_test" },
  },
  { minute: 0, outcome: "insufficient_data", statistic: null, threshold: 250, message: "" },
];

const cells = (html: string) =>
  [...html.matchAll(/<tr data-outcome="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      (c[1] ?? "").replace(/<[^>]+>/g, " ").trim(),
    ),
  );

describe("checks table", () => {
  it("lists each rule's check by rule: name, test, result, statistic, threshold, detail", async () => {
    const html = String(await (<ChecksTable rows={rows} by="rule" />).toString());
    expect(cells(html)[0]).toEqual([
      "Error rate rose default:error_rate",
      "z_test",
      "Fail",
      "6.12",
      "4.00",
      "error rate 20 % vs 1 %",
    ]);
    expect(cells(html)[1]?.[2]).toBe("insufficient data");
  });

  it("lists an incident's checks by minute with the value seen", async () => {
    const html = String(await (<ChecksTable rows={rows} by="minute" />).toString());
    expect(html).toContain('<th scope="col">Value</th>');
    expect(cells(html)[0]?.slice(1)).toEqual([
      "Fail",
      "0.20",
      "6.12",
      "4.00",
      "error rate 20 % vs 1 %",
    ]);
    expect(html).toContain('<td class="fail">Fail</td>');
  });

  it("writes numbers whole from 100, with 2 decimals from 1, and 2 digits below", () => {
    expect([250.4, 1.234, 0.01234, null, "x"].map(checkNumber)).toEqual([
      "250",
      "1.23",
      "0.012",
      "–",
      "–",
    ]);
  });
});
