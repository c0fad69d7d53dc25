// The DeploymentMonitor's alarm flushes changed buckets to D1 rollups and expires old state.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodeBucket } from "../../src/window/bucket";
import { bucketOf, interaction } from "../sample-events";

describe("rollups", () => {
  it("are written by the alarm for every changed bucket, and rewritten when it changes again", async () => {
    const deploymentId = "prj_rollups:production:bot";
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    const events = [
      interaction({ ts: minute, latency_ms: 100, feedback: 1 }),
      interaction({ ts: minute + 1, latency_ms: 300, status: "error", feedback: -1 }),
      // A timeout is no error: its own rate, as the error-rate rule counts.
      interaction({ ts: minute + 3, latency_ms: 100, status: "timeout" }),
    ];
    await stub.apply({
      deploymentId,
      token: "t1",
      buckets: [{ start: minute, data: encodeBucket(bucketOf(events)) }],
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const rows = async () =>
      (
        await env.DB.prepare(
          "SELECT resolution, count, error_count, feedback_up, feedback_down, latency_p50 FROM rollups WHERE deployment_id = ? ORDER BY resolution",
        )
          .bind(deploymentId)
          .all()
      ).results;
    expect(await rows()).toEqual([
      {
        resolution: "1h",
        count: 3,
        error_count: 1,
        feedback_up: 1,
        feedback_down: 1,
        latency_p50: expect.closeTo(100, 0),
      },
      {
        resolution: "1m",
        count: 3,
        error_count: 1,
        feedback_up: 1,
        feedback_down: 1,
        latency_p50: expect.closeTo(100, 0),
      },
    ]);
    await stub.apply({
      deploymentId,
      token: "t2",
      buckets: [
        {
          start: minute,
          data: encodeBucket(bucketOf([interaction({ ts: minute + 2, latency_ms: 200 })])),
        },
      ],
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await rows()).map((r) => r.count)).toEqual([4, 4]);
  });
});
