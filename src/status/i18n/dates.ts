// Dates in the page's language, always in UTC and saying so (the page is cached and shared
// by every reader of that language, whatever their time zone). English keeps its short
// form ("2 Dec"); the others are ICU's (Intl), e.g. "2. Dez.", "2 déc.", "2 dic", "12月2日".
import { formatClock, formatDay } from "../format";
import type { Lang } from "./language";

const dayFormats = new Map<Lang, Intl.DateTimeFormat>();

/** "2 Dec" in the language. */
export function dayIn(lang: Lang, ms: number): string {
  if (lang === "en") return formatDay(ms);
  let format = dayFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" });
    dayFormats.set(lang, format);
  }
  return format.format(ms);
}

/**
 * A range of days: "8–24 Nov" within a month ("8.–24. Nov.", "8–24 nov.", "11月8日～24日"),
 * "30 Nov – 1 Dec" across months, one day alone. The daily bars' tooltips name a range
 * per quiet run: the month written once saves bytes on every card.
 */
export function daysIn(lang: Lang, from: number, to: number): string {
  const first = new Date(from);
  const last = new Date(to);
  const sameMonth =
    first.getUTCFullYear() === last.getUTCFullYear() && first.getUTCMonth() === last.getUTCMonth();
  if (!sameMonth) return `${dayIn(lang, from)} – ${dayIn(lang, to)}`;
  if (first.getUTCDate() === last.getUTCDate()) return dayIn(lang, from);
  if (lang === "ja") return `${dayIn(lang, from)}～${last.getUTCDate()}日`;
  return `${first.getUTCDate()}${lang === "de" ? "." : ""}–${dayIn(lang, to)}`;
}

/** "2 Dec, 09:41 UTC" in the language (24-hour clock everywhere). */
export function whenIn(lang: Lang, ms: number): string {
  return `${dayIn(lang, ms)}${lang === "ja" ? " " : ", "}${formatClock(ms)} UTC`;
}
