// The lines an alert adds under its values to say how big the change is (and, with
// segment attribution, where it is), shared by the Slack text and its fallback.
import type { NotificationItem } from "./notification-types";

/** "Effect: thumbs-down rate +25.7 points (95 % CI 19.8 to 31.5)", or null without one. */
export function effectLine(item: Pick<NotificationItem, "effect">): string | null {
  const e = item.effect;
  if (!e) return null;
  return `Effect: ${e.of} ${e.text}`;
}

/** "Where: 72 % of the extra thumbs-down come from locale=ja (5.0 % → 31.0 %) (…)", or null. */
export function whereLine(item: Pick<NotificationItem, "where">): string | null {
  return item.where ? `Where: ${item.where.text}` : null;
}

/** Every explanatory line of the item, in the order they are shown. */
export function explanationLines(item: Pick<NotificationItem, "effect" | "where">): string[] {
  return [effectLine(item), whereLine(item)].filter((line) => line !== null);
}
