// The DeploymentMonitor counts the distinct users of accepted interactions per segment
// beside its 1-minute buckets, answers them with minute windows only, never twice for a
// copy, and forgets them with the minute buckets.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import type { MonitorRef } from "../../src/monitor/ingest-request";
import { monitorIdOf } from "../../src/monitor/monitor-id";
import { UserStore } from "../../src/monitor/user-store";
import { HOUR_MS, hourOf, minuteOf } from "../../src/shared/time";
import {
  ALL_USERS,
  addUserEvent,
  readUsers,
  userKey,
  usersOf,
} from "../../src/window/segment-users";
import { testMonitor } from "./fixture";

function events(m: MonitorRef, n: number, ts: number, locale: string): ArchivedEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${m.slug}-${locale}-${ts}-${i}`,
    deployment: m.slug,
    environment: m.environment,
    ts: ts + i,
    status: "ok",
    model: "gpt-4o",
    tags: { locale },
    user_hash: `${locale}-${i % 3}`,
    received_at: ts + 1_000,
  }));
}

describe("distinct users in the Durable Object", () => {
  it("answers a minute window's users per segment, and none for a window read at hours", async () => {
    const m = testMonitor("prj_users", false);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    const now = Date.now();
    const batch = [...events(m, 6, now - 60_000, "ja"), ...events(m, 4, now - 60_000, "en")];
    await stub.ingest({ monitor: m, events: batch });
    await stub.ingest({ monitor: m, events: batch }); // a redelivered batch
    const [minute, hour] = await stub.windows([
      { from: now - 15 * 60_000, to: now + 1, resolution: "1m" },
      { from: hourOf(now) - HOUR_MS, to: now + 1, resolution: "1h" },
    ]);
    const users = readUsers(minute?.users);
    expect(users && usersOf(users, userKey("tags.locale", "ja"))).toBe(3);
    expect(users && usersOf(users, userKey("tags.locale", "en"))).toBe(3);
    expect(users && usersOf(users, ALL_USERS)).toBe(6);
    expect(hour?.users).toBeUndefined();
  });

  it("forgets a minute's users an hour after the minute buckets' 2 hours", async () => {
    const m = testMonitor("prj_users_expiry", false);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    await runInDurableObject(stub, async (_, state) => {
      const store = new UserStore(state.storage.sql);
      store.createSchema();
      const now = Date.now();
      const start = minuteOf(now - 60_000);
      store.mergeMinutes(
        new Map([[start, addUserEvent(new Map(), events(m, 1, start, "ja")[0] as ArchivedEvent)]]),
        now,
      );
      const range = { from: start, to: start + 60_000 };
      expect(usersOf(store.merge(range, "1m") ?? new Map(), ALL_USERS)).toBe(1);
      store.expire(now + 2 * HOUR_MS);
      expect(usersOf(store.merge(range, "1m") ?? new Map(), ALL_USERS)).toBe(1);
      store.expire(now + 3 * HOUR_MS);
      expect(store.merge(range, "1m")?.size).toBe(0);
    });
  });
});
