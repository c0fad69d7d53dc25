// The subscribe form as posted (pure): a kind, a URL that the outbound rules allow (and for
// Slack an incoming-webhook URL outside development), and the components to follow (none
// ticked: the whole page). Each refused field is named with why, for the form to show.
import { SUBSCRIBER_KINDS } from "../../db/schema";
import { checkOutboundUrl, type OutboundUrlOptions } from "../../net/outbound-url";

export interface SubscribeForm {
  kind: (typeof SUBSCRIBER_KINDS)[number];
  url: string;
  components: string[] | null;
}

export type FormResult =
  | { ok: true; value: SubscribeForm }
  | { ok: false; errors: Partial<Record<"kind" | "url" | "component", string>> };

const SLACK_HOOK = /^https:\/\/hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]+$/;

/** Reads `kind`, `url` and each `component` of a posted form. */
export function parseSubscribeForm(
  form: { kind?: unknown; url?: unknown; component?: unknown },
  componentIds: readonly string[],
  outbound: OutboundUrlOptions,
): FormResult {
  const errors: Partial<Record<"kind" | "url" | "component", string>> = {};
  const kind = SUBSCRIBER_KINDS.find((k) => k === form.kind);
  if (!kind) errors.kind = "choose webhook or Slack";
  const url = typeof form.url === "string" ? form.url.trim() : "";
  const checked = checkOutboundUrl(url, outbound);
  if (url === "") errors.url = "required";
  else if (!checked.ok) errors.url = checked.reason;
  else if (kind === "slack" && !outbound.allowPrivate && !SLACK_HOOK.test(url)) {
    errors.url = "must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)";
  }
  const ticked = (Array.isArray(form.component) ? form.component : [form.component]).filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  const unknown = ticked.find((c) => !componentIds.includes(c));
  if (unknown !== undefined) errors.component = `'${unknown.slice(0, 80)}' is not on this page`;
  if (!kind || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { kind, url, components: ticked.length === 0 ? null : [...new Set(ticked)] },
  };
}
