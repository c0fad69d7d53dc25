// Budget periods in a project's time zone: a day runs from local midnight to local midnight,
// a month from the 1st to the 1st. Pure: Intl answers the zone's offset at an instant.
import type { BudgetPeriod } from "../db/schema/budgets";

export interface PeriodBounds {
  /** Epoch ms of the period's first instant. */
  start: number;
  /** Epoch ms of the next period's first instant. */
  end: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(at: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(at)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at `at`, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const t = localTime(at, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of local midnight starting the given local date (month may overflow). */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(guess, timeZone);
  // Once more with the offset at the first answer: right across a DST change.
  return guess - offsetAt(first, timeZone);
}

/** The day or calendar month holding `at`, in `timeZone`. */
export function periodBounds(at: number, period: BudgetPeriod, timeZone: string): PeriodBounds {
  const t = localTime(at, timeZone);
  if (period === "day") {
    return {
      start: localMidnight(t.year, t.month, t.day, timeZone),
      end: localMidnight(t.year, t.month, t.day + 1, timeZone),
    };
  }
  return {
    start: localMidnight(t.year, t.month, 1, timeZone),
    end: localMidnight(t.year, t.month + 1, 1, timeZone),
  };
}
