// Slack incoming-webhook Block Kit message for one deployment's notification group.
import { explanationLines } from "./effect-lines";
import type {
  ChangeGroupRef,
  NotificationGroup,
  NotificationItem,
  Severity,
} from "./notification-types";

// Slack's documented limits (Block Kit reference: header, section, context, button).
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  url: 3000,
  contextText: 3000,
  fallbackText: 3000,
} as const;

interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}
interface Mrkdwn {
  type: "mrkdwn";
  text: string;
}
interface LinkButton {
  type: "button";
  text: PlainText;
  url: string;
  action_id: string;
}
export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text: Mrkdwn; fields?: Mrkdwn[]; accessory?: LinkButton }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "divider" };

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot render blocks. */
  text: string;
  blocks: SlackBlock[];
}

const SEVERITY_ICON: Record<Severity, string> = { critical: "🔴", warning: "🟠" };

/** Cuts to `max` UTF-16 units, ending with an ellipsis, without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Slack asks for &, < and > to be escaped in mrkdwn so user text cannot forge links. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function formatNumber(value: number | null, unit?: string | null): string {
  if (value === null || !Number.isFinite(value)) return "n/a";
  // Rates travel as ratios (machine-readable in webhooks); people read percentages.
  if (unit === "ratio") return `${+(value * 100).toPrecision(3)} %`;
  const abs = Math.abs(value);
  const text =
    abs !== 0 && (abs >= 1e6 || abs < 1e-3)
      ? value.toExponential(2)
      : String(+value.toPrecision(4));
  return unit ? `${text} ${unit}` : text;
}

/**
 * The change's incident every item of the message belongs to, when they all belong to one
 * that was announced before (src/alerts/incidents/change-signals.ts), else null.
 */
function sharedGroup(group: NotificationGroup): ChangeGroupRef | null {
  const [first] = group.items;
  const ref = first?.group;
  if (!ref || group.items.some((i) => i.group?.id !== ref.id)) return null;
  const adds = group.items.every((i) => i.status === "firing" && !i.repeat && i.group?.more);
  const endsOne = group.items.every((i) => i.status === "resolved") && ref.open;
  return adds || endsOne ? ref : null;
}

function headline(group: NotificationGroup): string {
  const where = `${group.slug} (${group.environment})`;
  const count = group.items.length;
  const ref = sharedGroup(group);
  if (ref) {
    // Another signal of an incident already announced, or one of its signals back to
    // normal while others fire: never a new incident, never "resolved".
    const signals = `${count} ${count === 1 ? "signal" : "signals"}`;
    return group.status === "firing"
      ? `${SEVERITY_ICON[group.severity]} ${count === 1 ? "1 more signal" : `${count} more signals`} of ${ref.title} · ${where}`
      : `↘️ ${signals} back to normal · ${ref.title} still firing · ${where}`;
  }
  // Signals of several incidents back to normal while one of them still fires: not over.
  const stillFiring = group.items.some((i) => i.group?.open);
  const label =
    group.status === "resolved"
      ? stillFiring
        ? `↘️ BACK TO NORMAL · ${where}`
        : `✅ RESOLVED · ${where}`
      : `${SEVERITY_ICON[group.severity]} ${group.severity.toUpperCase()} · ${where}`;
  return count > 1 ? `${label} · ${count} alerts` : label;
}

function itemIcon(item: NotificationItem): string {
  return item.status === "resolved" ? "✅" : SEVERITY_ICON[item.severity];
}

function field(label: string, value: string): Mrkdwn {
  return { type: "mrkdwn", text: truncate(`*${label}*\n${value}`, SLACK_LIMITS.fieldText) };
}

/**
 * The release change ("prompt v14 (was prompt v13)"); when the release live now is not the
 * one live when the incident opened (a rollback), both are named instead.
 */
function releaseText(item: NotificationItem): string | null {
  const release = item.release;
  if (!release) return null;
  const live = release.live ?? release.version;
  const atOpen = release.at_open ?? live;
  if (live !== atOpen) {
    return escapeMrkdwn(`live now: ${live}\nwhen the incident opened: ${atOpen}`);
  }
  const from = release.previous_version ? ` (was ${release.previous_version})` : "";
  // An older release serving again: the incident is about it, not the latest change.
  return escapeMrkdwn(
    live === release.version
      ? `${release.version}${from}`
      : `${live} (live again after ${release.version})`,
  );
}

/** Ends with a full stop, so phrases never run together ("… baseline. Resolved because …"). */
const stop = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** The effect (and where) lines, each a sentence. */
const explained = (item: NotificationItem) => explanationLines(item).map(stop);

/** "Fired because …." with a capital, for the line of its own under the values. */
export const sentence = (text: string) => stop(text.charAt(0).toUpperCase() + text.slice(1));

/** The item's state beside its title, naming its change's incident when it is part of one. */
function stateText(item: NotificationItem): string {
  const ref = item.group;
  if (item.status === "resolved")
    return ref?.open ? `back to normal; ${escapeMrkdwn(ref.title)} still firing` : "resolved";
  if (item.repeat) return "still firing";
  return ref?.more ? `firing, 1 more signal of ${escapeMrkdwn(ref.title)}` : "firing";
}

/** "Signal of incident inc_1 · firing: a, b" when the item is one of several signals. */
function groupText(item: NotificationItem): string {
  const ref = item.group;
  if (!ref || (ref.signals.length <= 1 && !ref.more && ref.id === item.incident_id)) return "";
  const firing = ref.signals.length > 0 ? ` · signals firing: ${ref.signals.join(", ")}` : "";
  return ` · signal of incident ${escapeMrkdwn(ref.id)}${escapeMrkdwn(firing)}`;
}

/** A Slack date token: the reader's time zone, an ISO fallback for clients without it. */
const slackDate = (label: string, ms: number) =>
  `<!date^${Math.floor(ms / 1000)}^${label} {date_short_pretty} {time}|${label} ${new Date(ms).toISOString()}>`;

/**
 * One meaning per label, as on the dashboard: "firing since" (when it fired) and "pending
 * since" (its first breach), both when they differ.
 */
function sinceText(item: NotificationItem): string {
  const firing = item.firing_at ?? null;
  if (firing === null) return slackDate("pending since", item.started_at);
  const fired = slackDate("firing since", firing);
  return firing === item.started_at
    ? fired
    : `${fired} · ${slackDate("pending since", item.started_at)}`;
}

function itemBlocks(item: NotificationItem): SlackBlock[] {
  const title = `${itemIcon(item)} *${escapeMrkdwn(item.rule_name)}* (${stateText(item)})`;
  // No bare statistic/threshold fields: on a resolve they would show whichever condition
  // still holds as if it were a breach; the reason line names the deciding ones.
  const fields = [
    field("Metric", escapeMrkdwn(item.metric)),
    field("Baseline", formatNumber(item.baseline_value, item.unit)),
    field("Current", formatNumber(item.value, item.unit)),
  ];
  const release = releaseText(item);
  if (release) fields.push(field("Release", release));
  const section: SlackBlock = {
    type: "section",
    text: {
      type: "mrkdwn",
      text: truncate(
        [title, stop(item.message), ...explained(item), sentence(item.reason)]
          .map((line, i) => (i === 0 ? line : escapeMrkdwn(line)))
          .join("\n"),
        SLACK_LIMITS.sectionText,
      ),
    },
    fields: fields.slice(0, SLACK_LIMITS.fields),
  };
  const url = item.dashboard_url;
  if (url.length <= SLACK_LIMITS.url && /^https?:\/\//.test(url)) {
    section.accessory = {
      type: "button",
      text: { type: "plain_text", text: "View chart" },
      url,
      action_id: `chart-${item.incident_id}`.slice(0, 255),
    };
  }
  const link = section.accessory ? ` · <${url}|dashboard>` : "";
  const context = `Incident ${escapeMrkdwn(item.incident_id)}${groupText(item)} · ${sinceText(item)}${link}`;
  return [
    section,
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: truncate(context, SLACK_LIMITS.contextText) }],
    },
  ];
}

function fallbackText(group: NotificationGroup): string {
  const parts = group.items.map(
    (i) =>
      `${i.rule_name} (${stateText(i)}): ${[stop(i.message), ...explained(i), sentence(i.reason)].join(" ")}`,
  );
  return truncate(`${headline(group)}: ${parts.join(" ")}`, SLACK_LIMITS.fallbackText);
}

/** Header, then a section (fields + chart button) and a context line per alert, within limits. */
export function buildSlackMessage(group: NotificationGroup): SlackMessage {
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(headline(group), SLACK_LIMITS.headerText) },
    },
  ];
  // Two blocks per alert; keep one block free for the "more alerts" note.
  const room = Math.floor((SLACK_LIMITS.blocks - 2) / 2);
  const shown = group.items.length > room ? group.items.slice(0, room) : group.items;
  for (const item of shown) blocks.push(...itemBlocks(item));
  const hidden = group.items.length - shown.length;
  if (hidden > 0) {
    const text = `…and ${hidden} more alert${hidden === 1 ? "" : "s"} for this deployment.`;
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text }] });
  }
  return { text: fallbackText(group), blocks };
}
