// The `npm start` demo's canary, minute by minute in workerd: a week of support-bot
// history, the pipeline's announcement of prompt v14, its 20 % canary and then everyone on
// it, each minute's events through the Durable Object's ingest (as the telemetry consumer
// sends them) and the cron tick. The release verdict fails during the canary, before any
// 15-minute window rule fires, reaches the Slack channel, and stays fail after the rollback.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { demoAnnouncement } from "../../scripts/lib/demo-release.mjs";
import {
  createRng,
  deploymentNamed,
  ENVIRONMENT,
  HISTORY_DAYS,
  historyEvents,
  INCIDENT,
  incidentTimeline,
  liveEvents,
} from "../../scripts/lib/scenario.mjs";
import { runTick } from "../../src/entrances/tick";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import type { MonitorRef } from "../../src/monitor/ingest-request";
import { recordStatements } from "../../src/queue/record";
import { DAY_MS, MINUTE_MS, minuteOf } from "../../src/shared/time";
import { call, createProject } from "../helpers";
import { normalized, seedDeployment } from "../scenario-seed";

/** The scenario's clock, pinned as in demo-scenario.test.ts (the history follows the time of day). */
const CLOCK = Date.parse("2026-11-23T14:14:00Z");
/** The banner's promise (scripts/lib/start-banner.mjs): the verdict fails by then. */
const VERDICT_AFTER_MIN = 5;

interface VerdictJson {
  id: string;
  state: string;
  decided_at: number | null;
  git_sha: string | null;
  candidate: { prompt_version: string };
  incumbent: { prompt_version: string } | null;
  signals: {
    metric: string;
    decision: string;
    incumbent: number | null;
    candidate: number | null;
    n_candidate: number;
  }[];
}

describe("the demo's canary of prompt v14", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: CLOCK, shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fails its release verdict during the 20 % canary, before the window rules fire, and stays fail after the rollback", async () => {
    const liveStart = minuteOf(Date.now()) + 17_000;
    const timeline = incidentTimeline(liveStart);
    const bot = deploymentNamed(INCIDENT.deployment);
    const rng = createRng(20261122);
    const history = historyEvents(
      liveStart - HISTORY_DAYS * DAY_MS + 10 * MINUTE_MS,
      liveStart,
      rng,
      [bot],
    );
    const after = timeline.end + 5 * MINUTE_MS;
    // Users' thumbs arrive 2-17 s after the answer as feedback events naming it (`ref`), as
    // the simulator's SDK sends them: the arms count them into the release that answered.
    const live: NormalizedEvent[] = normalized(liveEvents(bot, liveStart, after, timeline, rng))
      .map((e, i) => ({ ...e, id: `live-${i}` }))
      .flatMap(({ feedback, ...e }, i): NormalizedEvent[] =>
        feedback === undefined
          ? [e]
          : [
              e,
              {
                type: "feedback",
                id: `thumb-${i}`,
                ref: e.id,
                deployment: e.deployment,
                environment: e.environment,
                ts: e.ts + 2_000 + ((i * 7_919) % 15_000),
                feedback,
              },
            ],
      );

    const p = await createProject("demo-verdict");
    const hook = `demo-verdict-${crypto.randomUUID()}`;
    const created = await call("/v1/channels", {
      method: "POST",
      key: p.admin,
      json: { type: "slack", name: "demo-sink", url: `${inject("receiverUrl")}/hook/${hook}` },
    });
    expect(created.status).toBe(201);
    const { channel } = (await created.json()) as { channel: { id: string } };
    const deploymentId = await seedDeployment(env, p.id, history, Date.now());

    // The pipeline announces v14 before its canary, as `npm start` does.
    const announced = await call("/v1/releases", {
      method: "POST",
      key: p.admin,
      json: demoAnnouncement(),
    });
    expect(announced.status).toBe(201);
    const { verdict } = (await announced.json()) as { verdict: VerdictJson };

    const monitor: MonitorRef = {
      deploymentId,
      projectId: p.id,
      environment: ENVIRONMENT,
      slug: bot.slug,
      synthetic: false,
    };
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    const firstFiring = new Map<string, number>();
    let decidedAt: number | null = null;
    for (let m = minuteOf(liveStart) + MINUTE_MS; m <= after; m += MINUTE_MS) {
      // A few seconds into the minute: the last minute's events are in, then the cron fires.
      vi.setSystemTime(m + 5_000);
      const events = live
        .filter((e) => e.ts >= m - MINUTE_MS && e.ts < m)
        .map((e) => ({ ...e, received_at: m + 1_000 }));
      if (events.length > 0) {
        const result = await stub.ingest({ monitor, events });
        await env.DB.batch(recordStatements(env.DB, [{ monitor, events: [] }], [result]));
      }
      await runTick(env, m);
      const row = await env.DB.prepare("SELECT state FROM release_verdicts WHERE id = ?")
        .bind(verdict.id)
        .first<{ state: string }>();
      if (decidedAt === null && row?.state !== "pending") decidedAt = m;
      const { results } = await env.DB.prepare(
        "SELECT rule_id FROM incidents WHERE deployment_id = ? AND status = 'firing'",
      )
        .bind(deploymentId)
        .all<{ rule_id: string }>();
      for (const r of results) if (!firstFiring.has(r.rule_id)) firstFiring.set(r.rule_id, m);
    }

    // Through the API, as a pipeline's gate reads it: fail, v14 against v13, announced sha.
    const read = await call(`/v1/deployments/${ENVIRONMENT}/${bot.slug}/verdicts/${verdict.id}`, {
      key: p.read,
    });
    expect(read.status).toBe(200);
    const body = (await read.json()) as VerdictJson;
    expect(body).toMatchObject({
      state: "fail",
      git_sha: INCIDENT.gitSha,
      candidate: { prompt_version: INCIDENT.prompt_version },
      incumbent: { prompt_version: bot.prompt_version },
    });
    const worse = body.signals.filter((s) => s.decision === "worse").map((s) => s.metric);
    expect(worse).toContain("output_tokens_p50_exceedance");
    // The separate thumbs count in the arm of the answer they rate: v14's are worse.
    const thumbs = body.signals.find((s) => s.metric === "thumbs_down_rate");
    expect(thumbs?.n_candidate).toBeGreaterThan(20);
    expect(thumbs?.candidate).toBeGreaterThan(thumbs?.incumbent ?? 1);
    // Decided within the banner's minutes of the canary, while v14 had 20 % of the traffic…
    expect(body.decided_at).toBe(decidedAt);
    expect(decidedAt).toBeLessThanOrEqual(timeline.canary + VERDICT_AFTER_MIN * MINUTE_MS);
    expect(decidedAt).toBeLessThan(timeline.start);
    // …while no 15-minute window rule fired before v14 served everyone (they did after). The
    // sequential (CUSUM) detectors see the 1.6x longer answers in the mixed traffic too, but
    // cannot say which release is worse; nothing fired before the canary.
    const windowRules = [...firstFiring].filter(([rule]) => !rule.endsWith(":cusum"));
    expect(windowRules.length).toBeGreaterThan(0);
    for (const [rule, m] of windowRules) expect(m, rule).toBeGreaterThan(timeline.start);
    for (const [rule, m] of firstFiring) expect(m, rule).toBeGreaterThan(timeline.canary);

    // The Slack channel got the verdict, naming the release and its worse signal.
    const { results: deliveries } = await env.DB.prepare(
      "SELECT payload FROM deliveries WHERE channel_id = ? AND id LIKE ?",
    )
      .bind(channel.id, `dlv_${verdict.id}_%`)
      .all<{ payload: string }>();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.payload).toContain("Release FAIL");
    expect(deliveries[0]?.payload).toContain(`prompt ${INCIDENT.prompt_version}`);
    expect(deliveries[0]?.payload).toContain("output_tokens_p50_exceedance");

    // After the rollback the verdict stands, and the releases show v14 ended at the rollback.
    const releases = await call(`/v1/deployments/${ENVIRONMENT}/${bot.slug}/releases`, {
      key: p.read,
    });
    const { releases: markers } = (await releases.json()) as {
      releases: { prompt_version: string; last_seen: number }[];
    };
    const v14 = markers.find((r) => r.prompt_version === INCIDENT.prompt_version);
    expect(v14?.last_seen).toBeLessThan(timeline.end);
    expect(v14?.last_seen).toBeGreaterThanOrEqual(timeline.end - MINUTE_MS);
  }, 120_000); // ~30 ticks of the cron with ingest: ~20 s on an idle machine
});
