// The minute's release verdicts with the real Durable Object and D1: a new release is
// analysed against the incumbent of the last 7 days, fails on a regression, passes when
// equal, and a release that stops serving ends superseded.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { runVerdicts } from "../../../src/alerts/verdicts/run-verdicts";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { minuteOf } from "../../../src/shared/time";
import { createDeployment, monitorOf } from "../../deployment-fixture";
import { call, createProject } from "../../helpers";
import { seededRandom } from "../../sample-values";

const MINUTE = 60_000;
const DAY = 86_400_000;

interface Arm {
  prompt: string;
  perMinute: number;
  errorRate: number;
}

async function setup(
  arms: Arm[],
  minutes: number,
  seed: number,
  servedUntil?: Record<string, number>,
) {
  const project = await createProject("verdicts");
  const d = await createDeployment(project.id);
  const monitor = monitorOf(project.id, d);
  const row = {
    id: d.id,
    projectId: project.id,
    environment: d.environment,
    slug: d.slug,
    firstSeen: 0,
    lastSeen: Date.now(),
  };
  const now = Date.now();
  const end = minuteOf(now);
  const random = seededRandom(seed);
  const stub = env.DEPLOYMENT_MONITOR.getByName(d.id);
  for (let m = minutes; m >= 1; m--) {
    const start = end - m * MINUTE;
    const events: ArchivedEvent[] = [];
    for (const arm of arms) {
      if (servedUntil?.[arm.prompt] !== undefined && m < (servedUntil[arm.prompt] ?? 0)) continue;
      for (let i = 0; i < arm.perMinute; i++) {
        events.push({
          type: "interaction",
          id: crypto.randomUUID(),
          deployment: d.slug,
          environment: d.environment,
          ts: start + Math.floor((i / arm.perMinute) * MINUTE),
          status: random() < arm.errorRate ? "error" : "ok",
          model: "gpt-4o-mini",
          provider: "openai",
          prompt_version: arm.prompt,
          latency_ms: 500 + 1000 * random(),
          received_at: now,
        });
      }
    }
    await stub.ingest({ monitor, events });
  }
  for (const type of ["slack", "webhook"]) {
    await env.DB.prepare(
      "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
    )
      .bind(
        `${d.id}-${type === "slack" ? "slack" : "hook"}`,
        project.id,
        type,
        type,
        `${inject("receiverUrl")}/hook/verdict-${d.slug}`,
        now,
      )
      .run();
  }
  await env.DB.prepare("UPDATE channels SET enabled = 1 WHERE project_id = ?")
    .bind(project.id)
    .run();
  // Release markers as the consumer writes them (the object's alarm may have written them
  // already): the incumbent served all week.
  for (const [i, arm] of arms.entries()) {
    await env.DB.prepare(
      `INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count)
       VALUES (?, 'gpt-4o-mini', 'openai', ?, '', ?, ?, ?)
       ON CONFLICT (deployment_id, model, provider, prompt_version, release) DO UPDATE SET
         first_seen = excluded.first_seen, last_seen = excluded.last_seen, event_count = excluded.event_count`,
    )
      .bind(
        d.id,
        arm.prompt,
        i === 0 ? now - 7 * DAY : end - minutes * MINUTE,
        now,
        i === 0 ? 1_000_000 : arm.perMinute * minutes,
      )
      .run();
  }
  return { row, end, project };
}

describe("runVerdicts", () => {
  it("starts an analysis for a new release against the incumbent and fails it on a regression", async () => {
    const { row, end } = await setup(
      [
        { prompt: "v13", perMinute: 80, errorRate: 0.01 },
        { prompt: "v14", perMinute: 20, errorRate: 0.3 },
      ],
      90,
      1,
    );
    // At first only 10 minutes are complete: the analysis starts, thresholds fixed.
    const started = await runVerdicts(env, row, end - 79 * MINUTE);
    expect(started).toEqual([]);
    const pending = await env.DB.prepare("SELECT * FROM release_verdicts WHERE deployment_id = ?")
      .bind(row.id)
      .all();
    expect(pending.results).toHaveLength(1);
    expect(pending.results[0]).toMatchObject({ state: "pending" });
    expect(JSON.parse(String(pending.results[0]?.candidate))).toMatchObject({
      prompt_version: "v14",
    });
    expect(JSON.parse(String(pending.results[0]?.incumbent))).toMatchObject({
      prompt_version: "v13",
    });
    const decided = await runVerdicts(env, row, end);
    expect(decided.map((v) => v.state)).toEqual(["fail"]);
    // Notified through the outbox, in the batch of the decision: one row per channel.
    const deliveries = await env.DB.prepare(
      "SELECT channel_id, payload FROM deliveries WHERE id LIKE ?",
    )
      .bind(`dlv_${decided[0]?.id}_%`)
      .all<{ channel_id: string; payload: string }>();
    const byChannel = Object.fromEntries(
      deliveries.results.map((r) => [r.channel_id, JSON.parse(r.payload)]),
    );
    expect(byChannel[`${row.id}-hook`]).toMatchObject({
      type: "release.verdict",
      data: {
        state: "fail",
        candidate: { prompt_version: "v14" },
        incumbent: { prompt_version: "v13" },
        deciding: ["error_rate"],
      },
    });
    expect(JSON.stringify(byChannel[`${row.id}-slack`])).toMatch(/Release FAIL.*prompt v14/);
    const error = ((decided[0]?.signals ?? []) as { metric: string; decision: string }[]).find(
      (s) => s.metric === "error_rate",
    );
    expect(error?.decision).toBe("worse");
    // Idempotent: the next tick changes nothing and announces nothing again.
    expect(await runVerdicts(env, row, end)).toEqual([]);
  });

  it("passes a release that serves like the incumbent", async () => {
    const { row, end } = await setup(
      [
        { prompt: "v13", perMinute: 100, errorRate: 0.001 },
        { prompt: "v14", perMinute: 100, errorRate: 0.001 },
      ],
      100,
      2,
    );
    await runVerdicts(env, row, end - 95 * MINUTE);
    const decided = await runVerdicts(env, row, end);
    expect(decided.map((v) => v.state)).toEqual(["pass"]);
    expect(decided[0]?.share).toBeCloseTo(0.5, 1);
  });

  it("ends superseded when the release stops serving for an hour (a rollback)", async () => {
    const { row, end } = await setup(
      [
        { prompt: "v13", perMinute: 50, errorRate: 0.01 },
        { prompt: "v14", perMinute: 10, errorRate: 0.01 },
      ],
      100,
      3,
      { v14: 90 }, // v14 served only its first 10 minutes
    );
    await runVerdicts(env, row, end - 95 * MINUTE);
    const decided = await runVerdicts(env, row, end);
    expect(decided.map((v) => [v.state, v.reason])).toEqual([
      ["superseded", "rolled back: the candidate stopped serving"],
    ]);
  });

  it("reads the project's default margins, a release's own margins winning over them", async () => {
    const { row, end, project } = await setup(
      [
        { prompt: "v13", perMinute: 50, errorRate: 0.01 },
        { prompt: "v14", perMinute: 50, errorRate: 0.01 },
      ],
      30,
      4,
    );
    const path = `/v1/projects/${project.id}`;
    const bad = await call(path, {
      method: "PATCH",
      key: project.admin,
      json: { verdict_margins: { no_such_signal: 0.1 } },
    });
    expect(bad.status).toBe(400);
    const patch = await call(path, {
      method: "PATCH",
      key: project.admin,
      json: { verdict_margins: { error_rate: 0.2 } },
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ project: { verdict_margins: { error_rate: 0.2 } } });
    const margins = async () => {
      const r = await env.DB.prepare("SELECT signals FROM release_verdicts WHERE deployment_id = ?")
        .bind(row.id)
        .first<{ signals: string }>();
      const signals = JSON.parse(r?.signals ?? "[]") as { metric: string; margin: number }[];
      return Object.fromEntries(signals.map((s) => [s.metric, s.margin]));
    };
    await runVerdicts(env, row, end - 25 * MINUTE);
    await runVerdicts(env, row, end - 20 * MINUTE);
    expect(await margins()).toMatchObject({ error_rate: 0.2, thumbs_down_rate: 0.03 });
    await env.DB.prepare("UPDATE release_verdicts SET margins = ? WHERE deployment_id = ?")
      .bind(JSON.stringify({ error_rate: 0.3 }), row.id)
      .run();
    await runVerdicts(env, row, end - 15 * MINUTE);
    expect(await margins()).toMatchObject({ error_rate: 0.3, thumbs_down_rate: 0.03 });
  });
});
