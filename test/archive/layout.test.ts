// The R2 archive layout (src/archive/layout.ts): keys sort by hour and write order, parse
// back, and a body round-trips byte-identically (a rewrite after a crash is the same object).
import { describe, expect, it } from "vitest";
import {
  type ArchivedEvent,
  decodeArchive,
  deploymentPrefix,
  encodeArchive,
  encodeArchiveLines,
  hourLabel,
  hourOfKey,
  hourStart,
  objectKey,
  syntheticObjectKey,
} from "../../src/archive/layout";

const dep = { projectId: "prj_abc-_1", environment: "production", slug: "support-bot" };
const t = Date.UTC(2026, 11, 2, 14, 37, 5);

describe("archive layout", () => {
  it("names objects by project, environment, deployment, UTC hour and sequence range", () => {
    expect(objectKey(dep, t, 1, 500)).toBe(
      "events/prj_abc-_1/production/support-bot/2026-12-02T14/000000000001-000000000500.ndjson.gz",
    );
    expect(deploymentPrefix(dep)).toBe("events/prj_abc-_1/production/support-bot/");
  });

  it("parses the hour back from a key, and rejects what is not an archive key", () => {
    expect(hourOfKey(objectKey(dep, t, 7, 9))).toBe(Date.UTC(2026, 11, 2, 14));
    expect(hourOfKey("events/p/e/d/not-an-hour/1-2.ndjson.gz")).toBeNaN();
    expect(hourOfKey("other/p/e/d/2026-12-02T14/1-2.ndjson.gz")).toBeNaN();
    expect(hourStart(hourLabel(t))).toBe(Date.UTC(2026, 11, 2, 14));
  });

  it("sorts keys by hour, then by sequence", () => {
    const keys = [
      objectKey(dep, t + 3_600_000, 11, 12),
      objectKey(dep, t, 100, 200),
      objectKey(dep, t, 9, 99),
    ];
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[0]]);
  });

  it("round-trips gzip NDJSON, byte-identical on re-encoding", () => {
    const events: ArchivedEvent[] = [
      {
        type: "interaction",
        id: "e1",
        deployment: "support-bot",
        environment: "production",
        ts: t,
        status: "ok",
        tags: { note: "line\nbreak" },
        received_at: t + 5,
      },
      {
        type: "feedback",
        id: "f1",
        ref: "e1",
        deployment: "support-bot",
        environment: "production",
        ts: t + 1,
        feedback: -1,
        received_at: t + 6,
      },
    ];
    const a = encodeArchive(events);
    expect(a[0]).toBe(0x1f); // gzip magic
    expect(decodeArchive(a)).toEqual(events);
    expect(encodeArchive(events)).toEqual(a);
    // The writer's outbox holds serialised lines, several per row: the same bytes.
    const lines = events.map((e) => JSON.stringify(e));
    expect(encodeArchiveLines(lines)).toEqual(a);
    expect(encodeArchiveLines([lines.join("\n")])).toEqual(a);
  });

  it("keeps a synthetic sibling's objects apart in the same hour folder", () => {
    const key = syntheticObjectKey(dep, t, 1, 500);
    expect(key).toBe(
      "events/prj_abc-_1/production/support-bot/2026-12-02T14/synthetic-000000000001-000000000500.ndjson.gz",
    );
    expect(key).not.toBe(objectKey(dep, t, 1, 500));
    expect(key.startsWith(deploymentPrefix(dep))).toBe(true);
    expect(hourOfKey(key)).toBe(Date.UTC(2026, 11, 2, 14));
  });
});
