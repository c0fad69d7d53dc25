// The outbox keeps what waits (bytes, oldest, chunks) in memory, asked on every commit for
// the alarm's time (src/monitor/archive-outbox.ts): the figures must always be what a
// fresh read of the rows gives, after appends, a rolled-back append, and a flush; and so
// must the next archive sequence number, also kept.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ArchiveOutbox } from "../../src/monitor/archive-outbox";
import { plainEvents, testMonitor } from "./fixture";

describe("the archive outbox's waiting figures", () => {
  it("match a fresh read of the rows after appends, a rolled-back append and a flush", async () => {
    const monitor = testMonitor("outbox-pending");
    const seen = await runInDurableObject(
      env.DEPLOYMENT_MONITOR.getByName(monitor.deploymentId),
      async (_, state) => {
        const outbox = new ArchiveOutbox(state.storage);
        outbox.createSchema();
        const fresh = () => {
          const read = new ArchiveOutbox(state.storage);
          return { ...read.pending(), lastSeq: read.lastSeq() };
        };
        const kept = () => ({ ...outbox.pending(), lastSeq: outbox.lastSeq() });
        const t0 = Date.UTC(2026, 11, 7, 10, 0);
        const steps = [];
        steps.push({ kept: kept(), read: fresh() });
        outbox.append(plainEvents(monitor, 3, "pending-a", t0), t0);
        outbox.append(plainEvents(monitor, 2, "pending-b", t0 + 60_000), t0 + 60_000);
        steps.push({ kept: kept(), read: fresh() });
        try {
          state.storage.transactionSync(() => {
            outbox.append(plainEvents(monitor, 4, "pending-c", t0 - 60_000), t0 - 60_000);
            throw new Error("rolled back");
          });
        } catch {
          outbox.reload();
        }
        steps.push({ kept: kept(), read: fresh() });
        await outbox.flush(env.ARCHIVE, { ...monitor, synthetic: false }, t0 + 120_000, true);
        steps.push({ kept: kept(), read: fresh() });
        return steps;
      },
    );
    expect(seen.map((s) => s.kept)).toEqual(seen.map((s) => s.read));
    expect(seen[0]?.kept).toEqual({ bytes: 0, oldest: null, chunks: 0, lastSeq: 0 });
    // Two appends of 3 and 2 events: their text, the oldest at the first append's time.
    expect(seen[1]?.kept.oldest).toBe(Date.UTC(2026, 11, 7, 10, 0));
    expect(seen[1]?.kept.bytes).toBeGreaterThan(0);
    expect(seen[1]?.kept.lastSeq).toBe(5);
    // The rolled-back append left nothing: the figures are those before it.
    expect(seen[2]?.kept).toEqual(seen[1]?.kept);
    expect(seen[3]?.kept).toEqual({ bytes: 0, oldest: null, chunks: 0, lastSeq: 5 });
  });
});
