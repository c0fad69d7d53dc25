// Rows one accepting commit writes in a deployment's Durable Object (storage is billed per
// row written): measured on the object's real SQLite storage by summing each statement's
// rowsWritten. The figures bench/capacity and docs/architecture.md use for the direct intake.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import { MonitorCore } from "../../src/monitor/monitor-core";
import { testMonitor } from "./fixture";

/** The object's state with its SQL storage counting rows written into `count`. */
function counting(state: DurableObjectState, count: { rows: number }): DurableObjectState {
  const sql = new Proxy(state.storage.sql, {
    get(target, prop) {
      if (prop !== "exec") return Reflect.get(target, prop);
      return (query: string, ...bindings: unknown[]) => {
        const cursor = target.exec(query, ...bindings);
        const rows = cursor.toArray();
        count.rows += cursor.rowsWritten;
        return Object.assign(rows[Symbol.iterator](), {
          toArray: () => rows,
          one: () => rows[0],
          rowsWritten: cursor.rowsWritten,
        });
      };
    },
  });
  const bound = <T extends object>(target: T, prop: string | symbol) => {
    const value = Reflect.get(target, prop);
    return typeof value === "function" ? value.bind(target) : value;
  };
  const storage = new Proxy(state.storage, {
    get: (target, prop) => (prop === "sql" ? sql : bound(target, prop)),
  });
  return new Proxy(state, {
    get: (target, prop) => (prop === "storage" ? storage : bound(target, prop)),
  });
}

describe("one accepting commit", () => {
  it("writes 5 rows in the steady state, however many events it carries; one fold counts many commits into the windows", async () => {
    const monitor = testMonitor("commit-rows");
    const written = await runInDurableObject(
      env.DEPLOYMENT_MONITOR.getByName(monitor.deploymentId),
      async (_, state) => {
        const count = { rows: 0 };
        const core = new MonitorCore(counting(state, count), env);
        const now = Date.now();
        const commit = async (n: number, k: number) => {
          const events = Array.from(
            { length: n },
            (_, i): ArchivedEvent => ({
              type: "interaction",
              id: `rows-${k}-${i}`,
              deployment: monitor.slug,
              environment: "production",
              ts: now + k,
              status: "ok",
              model: "gpt-4o-mini",
              received_at: now,
            }),
          );
          count.rows = 0;
          await core.ingest({ monitor, events });
          return count.rows;
        };
        const read = async () => {
          count.rows = 0;
          const { summary } = await core.snapshot({ from: now - 60_000, to: now + 60_000 });
          return { rows: count.rows, counted: summary.count };
        };
        await commit(1, 0); // the first commit also writes the object's identity
        await read(); // and the first fold creates the window rows
        const commits = [await commit(1, 1), await commit(1, 2), await commit(100, 3)];
        for (let k = 4; k < 24; k++) await commit(1, k);
        return { commits, fold: await read(), again: await read() };
      },
    );
    console.log(
      `rows written per commit: ${written.commits.join(", ")} (1, 1 and 100 events); one fold of 23 commits: ${written.fold.rows}`,
    );
    // Ledger run, outbox row, archive sequence, release total, last seen: the same for one
    // event as for a hundred. The windows (minute and hour bucket, segment counts, release
    // arm) are written once by the fold that counts all 23 commits (122 events).
    expect(written.commits).toEqual([5, 5, 5]);
    expect(written.fold.counted).toBe(123);
    expect(written.fold.rows).toBeLessThanOrEqual(8);
    expect(written.again).toEqual({ rows: 0, counted: 123 });
  });
});
