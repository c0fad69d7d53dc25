// What a decided release verdict sends: a Slack Block Kit message and the Standard Webhooks
// payload of type `release.verdict` (signed on delivery, src/alerts/delivery/dispatch.ts).
// Both name the candidate and incumbent, each deciding signal with both arms' rates, the
// difference with its confidence interval, n per arm, the share and a dashboard link.
import type { ComboJson } from "../../db/schema";
import type { SignalResult } from "../../verdicts";
import {
  escapeMrkdwn,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  truncate,
} from "../delivery/slack";
import type { VerdictRow } from "./verdict-row";

export const VERDICT_EVENT_TYPE = "release.verdict";

export interface VerdictContext {
  environment: string;
  slug: string;
  /** The deployment's dashboard page opened at the verdict. */
  url: string;
}

export const comboLabel = (c: ComboJson | null): string =>
  c
    ? [c.model, c.provider, c.prompt_version && `prompt ${c.prompt_version}`, c.release]
        .filter((x) => x)
        .join(" · ") || "(unlabelled)"
    : "(none)";

/** The signals that decided: the worse ones of a fail, every one of a pass, else none. */
export function decidingSignals(row: VerdictRow): SignalResult[] {
  const signals = row.signals as SignalResult[];
  if (row.state === "fail") return signals.filter((s) => s.decision === "worse");
  if (row.state === "pass") return signals.filter((s) => s.decision === "no_worse");
  return [];
}

const pct = (x: number | null) => (x === null ? "n/a" : `${+(x * 100).toPrecision(3)} %`);
const pts = (x: number) => `${x >= 0 ? "+" : ""}${+(x * 100).toPrecision(3)}`;

/** "error_rate 3.1 % vs 1 % (Δ +2.1 pts, CI +1.2 … +3.0; n 1000 / 4000)". */
export function signalLine(s: SignalResult): string {
  const ci = s.ci ? `, CI ${pts(s.ci[0])} … ${pts(s.ci[1])}` : "";
  const d = s.difference === null ? "" : ` (Δ ${pts(s.difference)} pts${ci})`;
  return `${s.metric} ${pct(s.candidate)} vs ${pct(s.incumbent)}${d}; n ${s.nCandidate} / ${s.nIncumbent}`;
}

const ICON: Record<VerdictRow["state"], string> = {
  fail: "🔴",
  pass: "🟢",
  inconclusive: "⚪",
  superseded: "↩️",
  pending: "⏳",
};

export function verdictSlackMessage(row: VerdictRow, ctx: VerdictContext): SlackMessage {
  const title = `${ICON[row.state]} Release ${row.state.toUpperCase()}: ${comboLabel(row.candidate)} on ${ctx.slug} (${ctx.environment})`;
  const share = row.share === null ? "" : `, ${pct(row.share)} of compared traffic`;
  const summary =
    `*Candidate:* ${escapeMrkdwn(comboLabel(row.candidate))}${share}\n` +
    `*Incumbent:* ${escapeMrkdwn(comboLabel(row.incumbent))}` +
    (row.reason ? `\n*Why:* ${escapeMrkdwn(row.reason)}` : "");
  const deciding = decidingSignals(row);
  const lines = deciding.slice(0, 20).map((s) => `• ${escapeMrkdwn(signalLine(s))}`);
  if (deciding.length > 20) lines.push(`… and ${deciding.length - 20} more`);
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(title, SLACK_LIMITS.headerText) },
    },
    {
      type: "section",
      text: { type: "mrkdwn", text: truncate(summary, SLACK_LIMITS.sectionText) },
      accessory: {
        type: "button",
        text: { type: "plain_text", text: "Compare releases" },
        url: truncate(ctx.url, SLACK_LIMITS.url),
        action_id: "open_verdict",
      },
    },
  ];
  if (lines.length > 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(lines.join("\n"), SLACK_LIMITS.sectionText) },
    });
  }
  return { text: truncate(title, SLACK_LIMITS.fallbackText), blocks };
}

/** The webhook body, Standard Webhooks' recommended shape: type, timestamp, data. */
export function verdictWebhookPayload(row: VerdictRow, ctx: VerdictContext, now: number) {
  return {
    type: VERDICT_EVENT_TYPE,
    timestamp: new Date(now).toISOString(),
    data: {
      id: row.id,
      environment: ctx.environment,
      slug: ctx.slug,
      state: row.state,
      reason: row.reason,
      candidate: row.candidate,
      incumbent: row.incumbent,
      share: row.share,
      started_at: new Date(row.startedAt).toISOString(),
      decided_at: row.decidedAt === null ? null : new Date(row.decidedAt).toISOString(),
      deciding: decidingSignals(row).map((s) => s.metric),
      signals: (row.signals as SignalResult[]).map((s) => ({
        metric: s.metric,
        incumbent: s.incumbent,
        candidate: s.candidate,
        difference: s.difference,
        ci: s.ci,
        margin: s.margin,
        decision: s.decision,
        n_incumbent: s.nIncumbent,
        n_candidate: s.nCandidate,
      })),
      dashboard_url: ctx.url,
    },
  };
}
