// Which side of a threshold alerts: "up" (the value rose), "down" or "both".
import type { Direction } from "./rule-schema";

/** statistic >= threshold (up), <= -threshold (down), or |statistic| >= threshold (both). */
export function beyond(direction: Direction, statistic: number, threshold: number): boolean {
  if (direction === "up") return statistic >= threshold;
  if (direction === "down") return statistic <= -threshold;
  return Math.abs(statistic) >= threshold;
}

/** ratio >= t (up), <= 1/t (down), or either (both), for ratio thresholds t > 1. */
export function ratioBeyond(direction: Direction, ratio: number, t: number): boolean {
  const up = ratio >= t;
  const down = ratio <= 1 / t;
  return direction === "up" ? up : direction === "down" ? down : up || down;
}
