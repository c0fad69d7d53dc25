// Budget periods in a project's time zone: days and calendar months, across DST changes.
import { describe, expect, it } from "vitest";
import { isTimeZone, periodBounds } from "../../src/spend/period";

const iso = (ms: number) => new Date(ms).toISOString();

describe("budget periods", () => {
  it("a UTC day runs from midnight to midnight UTC", () => {
    const b = periodBounds(Date.parse("2026-05-17T13:45:00Z"), "day", "UTC");
    expect([iso(b.start), iso(b.end)]).toEqual([
      "2026-05-17T00:00:00.000Z",
      "2026-05-18T00:00:00.000Z",
    ]);
  });

  it("a Berlin month starts at local midnight on the 1st and is an hour shorter across the spring change", () => {
    const b = periodBounds(Date.parse("2026-03-15T12:00:00Z"), "month", "Europe/Berlin");
    expect([iso(b.start), iso(b.end)]).toEqual([
      "2026-02-28T23:00:00.000Z",
      "2026-03-31T22:00:00.000Z",
    ]);
  });

  it("a New York day late in the evening belongs to that local date, not the UTC one", () => {
    const b = periodBounds(Date.parse("2026-07-02T02:30:00Z"), "day", "America/New_York");
    expect([iso(b.start), iso(b.end)]).toEqual([
      "2026-07-01T04:00:00.000Z",
      "2026-07-02T04:00:00.000Z",
    ]);
  });

  it("a Kolkata day starts on the half hour", () => {
    const b = periodBounds(Date.parse("2026-01-10T20:00:00Z"), "day", "Asia/Kolkata");
    expect(iso(b.start)).toBe("2026-01-10T18:30:00.000Z");
  });

  it("December's month ends at the next year's first of January", () => {
    const b = periodBounds(Date.parse("2026-12-31T23:59:00Z"), "month", "UTC");
    expect(iso(b.end)).toBe("2027-01-01T00:00:00.000Z");
  });

  it("knows IANA zones and refuses made-up ones", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
