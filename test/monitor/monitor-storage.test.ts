// The storage bound: one deployment fed 1,000,000 events spread over the full retention
// (35 days of 1-hour buckets plus 2 hours of 1-minute buckets) keeps its Durable Object's
// SQLite storage within 1 MiB, measured with databaseSize after the alarm has run.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { feedMillionEvents, MILLION } from "./million-events";

const DAY = 24 * 3_600_000;
const STORAGE_BOUND_BYTES = 1024 * 1024;

describe("DeploymentMonitor storage", () => {
  it("stays within 1 MiB after 1,000,000 events over 35 days", async () => {
    const deploymentId = "prj_storage:production:million";
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    const now = Date.now();
    const { fed } = await feedMillionEvents(stub, deploymentId, now);
    expect(fed).toBe(MILLION);
    const all = await stub.snapshot({ from: now - 35 * DAY, to: now + 1 });
    expect(all.summary.count).toBe(MILLION);
    const bytes = await stub.storageBytes();
    console.log(
      `DeploymentMonitor storage after ${MILLION} events: ${bytes} bytes (${(bytes / 1024).toFixed(0)} KiB)`,
    );
    expect(bytes).toBeLessThanOrEqual(STORAGE_BOUND_BYTES);
  }, 180_000); // 1,000,000 events: ~20 s on an idle machine, minutes on a loaded one
});
