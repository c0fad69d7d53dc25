// The per-deployment storage with release arms: the window figure's deployment (1,000,000
// events over 35 days, test/monitor/million-events.ts) with a rollout of 8 releases
// sharing its traffic in the last 2 hours, measured with databaseSize: windows and arms
// together within the 1 MiB per-deployment budget.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { ARM_RETENTION_MS, ArmStore, MAX_LIVE_ARMS } from "../../src/monitor/arm-store";
import { EVENTS_PER_HOUR, feedMillionEvents } from "./million-events";

const MINUTE = 60_000;
const STORAGE_BOUND_BYTES = 1024 * 1024;

describe("DeploymentMonitor storage with release arms", () => {
  it("keeps the windows of 1,000,000 events over 35 days and 8 live arms of the last 2 hours within 1 MiB", async () => {
    const deploymentId = "prj_arm_memory:production:million";
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    const now = Date.now();
    const { lastHour: pool } = await feedMillionEvents(stub, deploymentId, now);
    const windowsOnly = await stub.storageBytes();
    // The last 2 hours' traffic again (~20 events/min), 8 releases sharing it round robin.
    const perMinute = Math.round(EVENTS_PER_HOUR / 60);
    const recent = Array.from({ length: 120 * perMinute }, (_, i) => ({
      ...(pool[i % pool.length] as NormalizedInteraction),
      id: `recent-${i}`,
      ts: now - ARM_RETENTION_MS + Math.floor((i / perMinute) * MINUTE),
      model: "m",
      provider: "p",
      prompt_version: `v${i % MAX_LIVE_ARMS}`,
    }));
    // The arms, as the object's ingest feeds them (same store, same SQLite database).
    await runInDurableObject(stub, (_, state) => {
      const arms = new ArmStore(state.storage.sql);
      for (let m = 0; m < 120; m++) {
        const from = now - ARM_RETENTION_MS + m * MINUTE;
        // Each minute accepted as it ends; the alarm expires refs past their 10 minutes.
        const at = Math.min(now, from + MINUTE);
        arms.add(
          recent.filter((e) => e.ts >= from && e.ts < from + MINUTE),
          at,
        );
        arms.expire(at);
      }
      const minutes = arms.windows({ from: 0, to: now + 1 }).map((w) => w.minutes.length);
      expect(minutes.filter((n) => n > 0)).toHaveLength(MAX_LIVE_ARMS);
    });
    const bytes = await stub.storageBytes();
    console.log(
      `DeploymentMonitor storage: windows ${windowsOnly} bytes, with 8 arms ${bytes} bytes (${(bytes / 1024).toFixed(0)} KiB; arms ${((bytes - windowsOnly) / 1024).toFixed(0)} KiB from ${recent.length} events)`,
    );
    expect(bytes).toBeLessThanOrEqual(STORAGE_BOUND_BYTES);
  }, 180_000);
});
