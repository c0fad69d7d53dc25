// A deployment's release combinations are bounded: past MAX_RELEASE_COMBOS a new one replaces
// one idle for a week, or is counted in the "(other)" combination.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_RELEASE_COMBOS, OTHER_COMBO, ReleaseStore } from "../../src/monitor/release-store";
import { releaseKey } from "../../src/window/aggregate";

const DAY = 86_400_000;
const combo = (promptVersion: string, at: number, count = 1) => ({
  model: "m",
  provider: "p",
  promptVersion,
  release: "",
  firstSeen: at,
  lastSeen: at,
  count,
});

function withStore<T>(name: string, run: (store: ReleaseStore) => T) {
  return runInDurableObject(env.DEPLOYMENT_MONITOR.getByName(`release-test:${name}`), (_, s) => {
    const store = new ReleaseStore(s.storage.sql);
    store.createSchema();
    return run(store);
  });
}

describe("ReleaseStore", () => {
  it("folds combinations past the bound into (other), keeping every count", async () => {
    await withStore("fold", (store) => {
      const now = 100 * DAY;
      store.add(Array.from({ length: MAX_RELEASE_COMBOS + 10 }, (_, i) => combo(`v${i}`, now)));
      const all = store.all();
      expect(all).toHaveLength(MAX_RELEASE_COMBOS + 1);
      const other = all.find((r) => r.promptVersion === OTHER_COMBO.promptVersion);
      expect(other?.count).toBe(10);
      // A folded combination answers the (other) totals.
      expect(store.totals([releaseKey(combo("v55", now))])).toEqual([other]);
    });
  });

  it("lets a new combination replace the least recently seen one idle for over a week", async () => {
    await withStore("evict", (store) => {
      const now = 100 * DAY;
      store.add([combo("old", now - 8 * DAY)]);
      store.add(
        Array.from({ length: MAX_RELEASE_COMBOS - 1 }, (_, i) => combo(`v${i}`, now - DAY)),
      );
      store.add([combo("new", now)]);
      const names = store.all().map((r) => r.promptVersion);
      expect(names).toContain("new");
      expect(names).not.toContain("old");
      expect(names).not.toContain(OTHER_COMBO.promptVersion);
      // Now every combination saw traffic this week: the next one is folded.
      store.add([combo("newer", now)]);
      expect(store.all().map((r) => r.promptVersion)).toContain(OTHER_COMBO.promptVersion);
    });
  });

  it("forgets a combination whose row a rolled-back transaction took back, keeping the bound", async () => {
    const names = await runInDurableObject(
      env.DEPLOYMENT_MONITOR.getByName("release-test:rollback"),
      (_, s) => {
        const store = new ReleaseStore(s.storage.sql);
        store.createSchema();
        const now = 100 * DAY;
        try {
          s.storage.transactionSync(() => {
            store.add([combo("rolled-back", now)]);
            throw new Error("rolled back");
          });
        } catch {
          store.reload();
        }
        store.add(Array.from({ length: MAX_RELEASE_COMBOS }, (_, i) => combo(`v${i}`, now)));
        // The store is full: the rolled-back combination's next events are folded.
        store.add([combo("rolled-back", now)]);
        return store.all().map((r) => r.promptVersion);
      },
    );
    expect(names).not.toContain("rolled-back");
    expect(names).toContain(OTHER_COMBO.promptVersion);
    expect(names).toHaveLength(MAX_RELEASE_COMBOS + 1);
  });

  it("answers the totals its rows hold, as a fresh read of them gives, however the counts came", async () => {
    const [kept, read] = await runInDurableObject(
      env.DEPLOYMENT_MONITOR.getByName("release-test:kept"),
      (_, s) => {
        const store = new ReleaseStore(s.storage.sql);
        store.createSchema();
        const now = 100 * DAY;
        // Out of order, repeated, and past the bound (folded into OTHER).
        store.add([combo("a", now, 3), combo("b", now - DAY, 2)]);
        store.add([combo("a", now - 2 * DAY, 4), combo("b", now + DAY, 1)]);
        store.add(Array.from({ length: MAX_RELEASE_COMBOS + 3 }, (_, i) => combo(`v${i}`, now, 2)));
        store.add([combo("v60", now + 2 * DAY, 5)]);
        const keys = ["a", "b", "v0", "v60"].map((v) => releaseKey(combo(v, now)));
        const fresh = new ReleaseStore(s.storage.sql);
        return [store.totals(keys), fresh.totals(keys)];
      },
    );
    expect(kept).toEqual(read);
    expect(kept.find((r) => r.promptVersion === "a")).toMatchObject({
      firstSeen: 98 * DAY,
      lastSeen: 100 * DAY,
      count: 7,
    });
    // OTHER: v48..v52 (5 × 2) and v60's 5.
    expect(kept.find((r) => r.promptVersion === OTHER_COMBO.promptVersion)?.count).toBe(15);
  });
});
