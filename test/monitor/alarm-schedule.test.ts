// The object keeps its alarm's time in memory (src/monitor/monitor-core.ts) instead of
// asking storage on every commit: after an alarm has run, the next commit must still set
// one, or its events would wait for an alarm that never comes.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { plainEvents, testMonitor } from "./fixture";

describe("the monitor's alarm", () => {
  it("is set again by the first commit after an alarm ran, and never later than owed", async () => {
    // A probe monitor: no deployment row to record in D1, so no alarm at once for it.
    const monitor = testMonitor("alarm-schedule", true);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitor.deploymentId);
    const alarmAt = () => runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    const t1 = Date.now();
    await stub.intake({ monitor, events: plainEvents(monitor, 3, "alarm-a", t1) });
    const first = await alarmAt();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const afterRun = await alarmAt();
    const t2 = Date.now();
    await stub.intake({ monitor, events: plainEvents(monitor, 3, "alarm-b", t2) });
    const second = await alarmAt();
    await stub.intake({ monitor, events: plainEvents(monitor, 3, "alarm-c", Date.now()) });
    const third = await alarmAt();
    // Rollups within 30 s of a commit (FLUSH_DELAY_MS).
    expect(first).not.toBeNull();
    expect(first ?? 0).toBeLessThanOrEqual(t1 + 30_000 + 1_000);
    // The run archived nothing yet (5 minutes) and set the next alarm for that.
    expect(afterRun).not.toBeNull();
    expect(second).not.toBeNull();
    expect(second ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(t2 + 30_000 + 1_000);
    // A later commit keeps the earlier alarm.
    expect(third).toBe(second);
  });
});
