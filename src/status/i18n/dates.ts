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

/** "2 Dec, 09:41 UTC" in the language (24-hour clock everywhere). */
export function whenIn(lang: Lang, ms: number): string {
  return `${dayIn(lang, ms)}${lang === "ja" ? " " : ", "}${formatClock(ms)} UTC`;
}
