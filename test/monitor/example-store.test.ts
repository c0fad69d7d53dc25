// Example events per hour in the Durable Object's storage: merged per hour, listed per
// segment newest first, and gone (an empty answer, not an error) once their hours expire.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import { EXAMPLE_RETENTION_MS, ExampleStore } from "../../src/monitor/example-store";
import { monitorIdOf } from "../../src/monitor/monitor-id";
import { HOUR_MS, hourOf } from "../../src/shared/time";
import {
  addExampleEvent,
  EXAMPLES_PER_SEGMENT,
  type ExampleSample,
} from "../../src/window/example-sample";
import { testMonitor } from "./fixture";

function failed(id: string, ts: number, locale: string): NormalizedEvent {
  return {
    type: "interaction",
    id,
    deployment: "d",
    environment: "production",
    ts,
    status: "error",
    model: "gpt-4o",
    tags: { locale },
  };
}

describe("example events in the Durable Object", () => {
  it("lists a segment's examples of an outcome across hours, and none once they expired", async () => {
    const stub = env.DEPLOYMENT_MONITOR.getByName("prj_examples:production:store");
    await runInDurableObject(stub, async (_, state) => {
      const store = new ExampleStore(state.storage.sql);
      store.createSchema();
      const now = Date.now();
      const earlier = hourOf(now) - HOUR_MS;
      const a: ExampleSample = {};
      addExampleEvent(a, failed("e1", earlier + 5, "ja"));
      addExampleEvent(a, failed("e2", earlier + 6, "en"));
      const b: ExampleSample = {};
      addExampleEvent(b, failed("e3", hourOf(now) + 1, "ja"));
      store.mergeHours(new Map([[earlier, a]]), now);
      store.mergeHours(new Map([[hourOf(now), b]]), now);
      const range = { from: earlier, to: now + 1 };
      const ids = store.examples(range, "error", "tags.locale", "ja").map((e) => e.id);
      expect(ids).toEqual(["e3", "e1"]);
      expect(store.examples(range, "error", "", "")).toHaveLength(3);
      expect(store.examples(range, "feedback_down", "", "")).toEqual([]);
      store.expire(earlier + EXAMPLE_RETENTION_MS + 1);
      expect(store.examples(range, "error", "tags.locale", "ja").map((e) => e.id)).toEqual(["e3"]);
      store.expire(now + EXAMPLE_RETENTION_MS + HOUR_MS);
      expect(store.examples(range, "error", "", "")).toEqual([]);
    });
  });

  it("keeps examples of a locale that holds a small part of an outcome's events", async () => {
    const m = testMonitor("prj_examples_small", false);
    const now = Date.now();
    const start = hourOf(now);
    // 299 errors in en and 9 in ja within the hour: the 10 lowest of all hold ~0.3 ja ones.
    const events = Array.from({ length: 308 }, (_, i): ArchivedEvent => {
      const ts = start + Math.floor((i / 308) * (now - start));
      return { ...failed(`${m.slug}-${i}`, ts, i % 38 === 0 ? "ja" : "en"), received_at: ts };
    });
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    await stub.ingest({ monitor: m, events, examples: true });
    const ja = await stub.exampleEvents({ from: start, to: now + 1 }, "error", "tags.locale", "ja");
    expect(ja).toHaveLength(EXAMPLES_PER_SEGMENT);
    for (const e of ja) expect(e.tags).toEqual({ locale: "ja" });
  });
});
