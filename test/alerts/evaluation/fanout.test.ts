// Past EVALUATE_INLINE_LIMIT deployments, the cron tick fans evaluation out through
// the EVALUATIONS queue; every deployment is still evaluated for that minute.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  activeDeployments,
  EVALUATE_INLINE_LIMIT,
  evaluateMany,
} from "../../../src/alerts/evaluation/run-evaluations";
import { runTick } from "../../../src/entrances/tick";
import { addEvent, emptyBucket, encodeBucket } from "../../../src/window/bucket";
import { waitFor } from "../../helpers";
import { interaction } from "../../sample-events";

describe("evaluation fan-out", () => {
  it("evaluates every active deployment through the queue when there are too many for one tick", async () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const n = EVALUATE_INLINE_LIMIT + 5;
    await env.DB.prepare(
      "INSERT INTO projects (id, name, retention_days, created_at) VALUES ('prj_fan', 'fan', 30, ?)",
    )
      .bind(now)
      .run();
    await env.DB.batch(
      Array.from({ length: n }, (_, i) =>
        env.DB.prepare(
          "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, 'prj_fan', 'production', ?, ?, ?)",
        ).bind(`prj_fan:production:bot-${i}`, `bot-${i}`, now - 3_600_000, now - 60_000),
      ),
    );
    // One event each: only rules that had data store check results, which this counts.
    for (let i = 0; i < n; i++) {
      await env.DEPLOYMENT_MONITOR.getByName(`prj_fan:production:bot-${i}`).apply({
        deploymentId: `prj_fan:production:bot-${i}`,
        token: `fan-${i}`,
        buckets: [
          { start: now - 60_000, data: encodeBucket(addEvent(emptyBucket(), interaction())) },
        ],
      });
    }
    await runTick(env, now + 5_000);
    const evaluated = () =>
      env.DB.prepare(
        "SELECT count(DISTINCT deployment_id) AS n FROM check_results WHERE minute = ?",
      )
        .bind(now)
        .first<{ n: number }>()
        .then((r) => r?.n ?? 0);
    expect(await waitFor(evaluated, (count) => count >= n, 60_000)).toBe(n);
  });
});

describe("evaluation isolation", () => {
  it("keeps evaluating the other deployments when one fails", async () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 7 * 60_000;
    await env.DB.prepare(
      "INSERT INTO projects (id, name, retention_days, created_at) VALUES ('prj_iso', 'iso', 30, ?)",
    )
      .bind(now)
      .run();
    const ids = ["a-broken", "b-fine", "c-fine"].map((slug) => `prj_iso:production:${slug}`);
    await env.DB.batch(
      ids.map((id) =>
        env.DB.prepare(
          "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, 'prj_iso', 'production', ?, ?, ?)",
        ).bind(id, id.split(":")[2], now - 3_600_000, now - 60_000),
      ),
    );
    // A corrupt pinned baseline makes the first deployment's evaluation throw.
    await env.DB.prepare(
      "INSERT INTO baselines (id, deployment_id, kind, label, \"from\", \"to\", data, count, active, created_at) VALUES ('bl_bad', ?, 'range', 'bad', 0, 1, 'not a bucket', 0, 1, 0)",
    )
      .bind(ids[0])
      .run();
    const { results, failed } = await evaluateMany(env, await activeDeployments(env.DB, now), now);
    expect(failed).toEqual([ids[0]]);
    expect(results.map((r) => r.deploymentId).filter((id) => id.startsWith("prj_iso"))).toEqual(
      ids.slice(1),
    );
  });
});
