// The Slack message and release.verdict webhook of a decided verdict.
import { describe, expect, it } from "vitest";
import {
  signalLine,
  verdictSlackMessage,
  verdictWebhookPayload,
} from "../../../src/alerts/verdicts/verdict-messages";
import type { VerdictRow } from "../../../src/alerts/verdicts/verdict-row";

const combo = (v: string) => ({
  model: "gpt-4o-mini",
  provider: "openai",
  prompt_version: v,
  release: "",
});
const error = {
  metric: "error_rate",
  incumbent: 0.01,
  candidate: 0.031,
  difference: 0.021,
  ci: [0.012, 0.03] as [number, number],
  margin: 0.01,
  decision: "worse" as const,
  nIncumbent: 4000,
  nCandidate: 1000,
};
const row: VerdictRow = {
  id: "ver_1",
  deploymentId: "p:production:support-bot",
  candidateKey: "k",
  candidate: combo("v14"),
  incumbent: combo("v13"),
  state: "fail",
  reason: null,
  startedAt: Date.UTC(2026, 0, 5, 9),
  decidedAt: Date.UTC(2026, 0, 5, 9, 20),
  updatedAt: 0,
  analysis: null,
  signals: [error, { ...error, metric: "timeout_rate", decision: "pending" }],
  share: 0.2,
  gitSha: null,
  plannedShare: null,
  margins: null,
  announcedAt: null,
};
const ctx = {
  environment: "production",
  slug: "support-bot",
  url: "https://dw.example/dashboard/d/production/support-bot/releases?verdict=ver_1",
};

describe("verdict messages", () => {
  it("puts both arms, the difference with its interval and n per arm in one line", () => {
    expect(signalLine(error)).toBe(
      "error_rate 3.1 % vs 1 % (Δ +2.1 pts, CI +1.2 … +3); n 1000 / 4000",
    );
  });

  it("makes a Slack message naming candidate, incumbent, share, the deciding signal and the link", () => {
    const m = verdictSlackMessage(row, ctx);
    const text = JSON.stringify(m);
    expect(m.text).toBe(
      "🔴 Release FAIL: gpt-4o-mini · openai · prompt v14 on support-bot (production)",
    );
    expect(text).toContain("prompt v13");
    expect(text).toContain("20 % of compared traffic");
    expect(text).toContain("error_rate 3.1 % vs 1 %");
    expect(text).not.toContain("timeout_rate");
    expect(text).toContain(ctx.url);
  });

  it("makes a Standard Webhooks body of type release.verdict with every signal", () => {
    const body = verdictWebhookPayload(row, ctx, Date.UTC(2026, 0, 5, 9, 21));
    expect(body).toMatchObject({
      type: "release.verdict",
      timestamp: "2026-01-05T09:21:00.000Z",
      data: {
        id: "ver_1",
        state: "fail",
        candidate: combo("v14"),
        incumbent: combo("v13"),
        share: 0.2,
        decided_at: "2026-01-05T09:20:00.000Z",
        deciding: ["error_rate"],
        dashboard_url: ctx.url,
      },
    });
    expect(body.data.signals[0]).toEqual({
      metric: "error_rate",
      incumbent: 0.01,
      candidate: 0.031,
      difference: 0.021,
      ci: [0.012, 0.03],
      margin: 0.01,
      decision: "worse",
      n_incumbent: 4000,
      n_candidate: 1000,
    });
  });
});
