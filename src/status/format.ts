// Number and time formatting for the pages (UTC, so a cached page reads the same for all).

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** "2 Dec" */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "09:41" (UTC) */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "2 Dec, 09:41 UTC" */
export function formatWhen(ms: number): string {
  return `${formatDay(ms)}, ${formatClock(ms)} UTC`;
}

/** "2026-12-02T09:41:07Z": a `<time datetime>` to the second (milliseconds are bytes). */
export const isoSecond = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** "840 ms", "1.24 s", "12.5 s" */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "4.2 %" for 0.042; whole percents from 10 % up. */
export function formatPct(share: number | null, digits?: number): string {
  if (share === null || !Number.isFinite(share)) return "–";
  const pct = share * 100;
  if (pct === 100) return "100 %";
  return `${pct.toFixed(digits ?? (pct >= 10 || pct === 0 ? 0 : 1))} %`;
}

/** "$0.0042" with four significant digits at most. */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return "–";
  if (usd === 0) return "$0";
  return `$${usd >= 1 ? usd.toFixed(2) : usd.toPrecision(2)}`;
}

/** "12.3k" */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** "3 h 12 min", "45 min", "2 d 4 h" */
export function formatDuration(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
