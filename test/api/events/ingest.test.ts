import { describe, expect, it } from "vitest";
import {
  archivedEvents,
  call,
  createProject,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../../helpers";

interface IngestAnswer {
  accepted: number;
  rejected: { index: number; code: string; path: string; message: string }[];
}

const post = (key: string, json: unknown) => call("/v1/events", { method: "POST", key, json });

describe("POST /v1/events", () => {
  it("accepts one event, an array, or {events: [...]}", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    for (const body of [
      { deployment: slug },
      [{ deployment: slug }],
      { events: [{ deployment: slug }] },
    ]) {
      const res = await post(p.ingest, body);
      expect(res.status).toBe(202);
      expect(((await res.json()) as IngestAnswer).accepted).toBe(1);
    }
  });

  it("stores 497 of 500 events and names each of the 3 bad ones precisely", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const events: Record<string, unknown>[] = Array.from({ length: 500 }, (_, i) => ({
      id: `e-${i}`,
      deployment: slug,
      latency_ms: 100 + i,
      status: "ok",
    }));
    events[10] = { ...events[10], latency_ms: "fast" };
    events[200] = { ...events[200], laténcy: 3 };
    events[499] = { ...events[499], status: "exploded" };
    const res = await post(p.ingest, { events });
    expect(res.status).toBe(202);
    const body = (await res.json()) as IngestAnswer;
    expect(body.accepted).toBe(497);
    expect(body.rejected.map((r) => [r.index, r.code, r.path])).toEqual([
      [10, "invalid_event", "latency_ms"],
      [200, "invalid_event", "laténcy"],
      [499, "invalid_event", "status"],
    ]);
    expect(body.rejected[1]?.message).toContain('unknown field "laténcy"');
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 497,
      ),
    ).toBe(497);
  });

  it("answers 400 with a precise message for malformed JSON and for nothing valid", async () => {
    const p = await createProject();
    const bad = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      headers: { "content-type": "application/json" },
      body: '{"deployment": "a",',
    });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { code: string; message: string } };
    expect(err.error.code).toBe("invalid_json");

    const none = await post(p.ingest, [{ deployment: "Bad Slug" }, { latency_ms: 1 }]);
    expect(none.status).toBe(400);
    const body = (await none.json()) as { error: { code: string; details: IngestAnswer } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.rejected.map((r) => r.path)).toEqual(["deployment", "deployment"]);

    for (const json of [[], 42, "text", null, { events: "x" }, { events: [], extra: 1 }]) {
      expect((await post(p.ingest, json)).status).toBe(400);
    }
  });

  it("rejects timestamps in the future and beyond the accepted lateness", async () => {
    const p = await createProject();
    const now = Date.now();
    const res = await post(p.ingest, [
      { deployment: "a", ts: now + 10 * 60_000 },
      { deployment: "a", ts: new Date(now - 8 * 86_400_000).toISOString() },
      { deployment: "a", ts: new Date(now - 60_000).toISOString() },
      { deployment: "a", ts: "yesterday" },
    ]);
    const body = (await res.json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, "timestamp_in_future"],
      [1, "timestamp_too_old"],
      [3, "invalid_event"],
    ]);
  });

  it("answers 413 above 1 MiB or 1,000 events", async () => {
    const p = await createProject();
    const many = Array.from({ length: 1001 }, () => ({ deployment: "a" }));
    const tooMany = await post(p.ingest, many);
    expect(tooMany.status).toBe(413);
    const huge = await post(p.ingest, { deployment: "a", tags: { note: "x".repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe(
      "payload_too_large",
    );
  });

  it("takes sendBeacon's text/plain body with the key in the query string, and answers CORS", async () => {
    const p = await createProject();
    const res = await call(`/v1/events?key=${encodeURIComponent(p.ingest)}`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: "https://app.example" },
      body: JSON.stringify({ deployment: uniqueSlug(), feedback: 1 }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await call("/v1/events", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it("stores user and session only as per-project hashes, never raw", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const res = await post(p.ingest, [
      { id: "u1", deployment: slug, user: "alice@example.com", session: "s-42" },
      { id: "u2", deployment: slug, user: "alice@example.com" },
      { id: "u3", deployment: slug },
    ]);
    expect(res.status).toBe(202);
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 3,
    );
    const events = (await archivedEvents(p.id)).sort((a, b) => a.id.localeCompare(b.id));
    const rows = events as unknown as Record<string, unknown>[];
    expect(JSON.stringify(events)).not.toContain("alice");
    expect(rows[0]?.user_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0]?.session_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[1]?.user_hash).toBe(rows[0]?.user_hash);
    expect(rows[2]?.user_hash).toBeUndefined();
  });

  it("refuses other content types with 415", async () => {
    const p = await createProject();
    const res = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "deployment=a",
    });
    expect(res.status).toBe(415);
  });

  it("counts a batch sent twice only once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const events = Array.from({ length: 50 }, (_, i) => ({
      id: `dup-${i}`,
      deployment: slug,
      latency_ms: 10 + i,
    }));
    expect((await post(p.ingest, events)).status).toBe(202);
    expect((await post(p.ingest, events)).status).toBe(202);
    const window = async () => {
      const res = await call(`/v1/deployments/production/${slug}/window?range=15m`, {
        key: p.read,
      });
      return res.status === 200
        ? ((await res.json()) as { window: { summary: { count: number } } }).window.summary.count
        : 0;
    };
    expect(await waitFor(window, (n) => n >= 50)).toBe(50);
    // Give a second delivery every chance to land, then check nothing moved.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await window()).toBe(50);
    expect(await storedEventCount(p.id)).toBe(50);
  });

  it("accepts late feedback referencing an event and counts it once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    await post(p.ingest, { id: "q1", deployment: slug, latency_ms: 5 });
    const fb = { type: "feedback", ref: "q1", deployment: slug, feedback: -1 };
    expect((await post(p.ingest, fb)).status).toBe(202);
    expect((await post(p.ingest, fb)).status).toBe(202);
    const bad = await post(p.ingest, {
      type: "feedback",
      ref: "q1",
      deployment: slug,
      feedback: 2,
    });
    expect(bad.status).toBe(400);
    const window = async () => {
      const res = await call(`/v1/deployments/production/${slug}/window?range=15m`, {
        key: p.read,
      });
      if (res.status !== 200) return null;
      return (
        (await res.json()) as { window: { summary: { count: number; feedback: { down: number } } } }
      ).window.summary;
    };
    const summary = await waitFor(
      window,
      (s) => (s?.feedback.down ?? 0) >= 1 && (s?.count ?? 0) >= 1,
    );
    expect(summary?.count).toBe(1);
    expect(summary?.feedback.down).toBe(1);
  });
});
