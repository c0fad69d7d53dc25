// Message packing: every message within the Queues size limit, events kept in order.
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import { MAX_MESSAGE_BYTES, packMessages } from "../../src/queue/enqueue";
import { interaction } from "../sample-events";

const events = (n: number, tag: string): NormalizedEvent[] =>
  Array.from({ length: n }, (_, i) => interaction({ id: `e${i}`, tags: { note: tag } }));

// What the v8 serialiser needs for a string: 1 byte per char when all are Latin-1, else 2.
const serialised = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return 2 * s.length;
  return s.length;
};

describe("packMessages", () => {
  it("keeps a small batch in one message whose text is the events' JSON", () => {
    const input = events(10, "short");
    const [only, ...rest] = packMessages("p1", 5, input);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ v: 3, projectId: "p1", receivedAt: 5, count: 10 });
    expect(JSON.parse(only?.events ?? "")).toEqual(input);
  });

  it.each([
    ["Latin-1", "é".repeat(100)],
    ["wide (two bytes a character)", "日本語".repeat(40)],
  ])("splits 1,000 %s events under the message limit, in order", (_, tag) => {
    const input = events(1000, tag);
    const packed = packMessages("p1", 5, input);
    expect(packed.length).toBeGreaterThan(1);
    for (const m of packed) {
      expect(serialised(m.events) + 200).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      expect(JSON.parse(m.events)).toHaveLength(m.count);
    }
    expect(packed.flatMap((m) => JSON.parse(m.events))).toEqual(input);
  });

  it("sizes a message by its widest event: one Japanese value among 1,000 Latin-1 events", () => {
    const input = events(1000, "é".repeat(100));
    input[500] = interaction({ id: "e500", tags: { note: "日本語" } });
    const packed = packMessages("p1", 5, input);
    for (const m of packed) {
      expect(serialised(m.events) + 200).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    }
    expect(packed.flatMap((m) => JSON.parse(m.events))).toEqual(input);
  });

  it("packs nothing for no events", () => {
    expect(packMessages("p1", 5, [])).toEqual([]);
  });
});
