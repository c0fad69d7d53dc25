// Issue 9, defect 1: huge finite numbers must not poison a deployment. Ingest refuses
// them naming the field; and should one reach a Durable Object anyway (an older build,
// a corrupt row), its window still answers and its alarm still runs.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import type { DeploymentMonitor } from "../../src/monitor/deployment-monitor";
import { call, createProject, storedEventCount, uniqueSlug, waitFor } from "../helpers";
import { encodedMinutes } from "../seed-buckets";

interface Rejected {
  index: number;
  path: string;
  message: string;
}

const post = (key: string, json: unknown) => call("/v1/events", { method: "POST", key, json });

async function windowOf(read: string, slug: string) {
  const res = await call(`/v1/deployments/production/${slug}/window`, { key: read });
  return { status: res.status, body: (await res.json()) as { window: WindowBody } };
}
interface WindowBody {
  quarantined: number;
  summary: {
    count: number;
    cost: { total_usd: number };
    distributions: { latency_ms: { count: number; max: number | null; mean: number | null } };
  };
}

let seq = 0;
/** Applies events straight to a deployment's object, as the consumer does. */
async function applyEvents(slug: string, events: Partial<NormalizedInteraction>[]) {
  const now = Date.now();
  const full = events.map(
    (e, i): NormalizedInteraction => ({
      type: "interaction",
      id: `${slug}-${seq}-${i}`,
      deployment: slug,
      environment: "production",
      ts: now - i * 1000,
      status: "ok",
      ...e,
    }),
  );
  const deploymentId = `prj_huge:production:${slug}`;
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  await stub.apply({ deploymentId, token: `huge-${seq++}`, buckets: encodedMinutes(full) });
  return stub;
}

const lastHour = () => ({ from: Date.now() - 3_600_000, to: Date.now() + 1 });

describe("huge numbers at ingest", () => {
  it("refuses two events with latency_ms 1e308 with a 400 naming the field; the window still answers", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    expect((await post(p.ingest, { deployment: slug, latency_ms: 100 })).status).toBe(202);
    const res = await post(p.ingest, [
      { deployment: slug, latency_ms: 1e308 },
      { deployment: slug, latency_ms: 1e308 },
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { rejected: Rejected[] } };
    };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.rejected.map((r) => [r.index, r.path])).toEqual([
      [0, "latency_ms"],
      [1, "latency_ms"],
    ]);
    expect(body.error.details.rejected[0]?.message).toBe(
      "must be at most 86,400,000 ms (24 hours)",
    );
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 1,
    );
    const w = await windowOf(p.read, slug);
    expect(w.status).toBe(200);
    expect(w.body.window.summary.count).toBe(1);
  });

  it("rejects each huge field by its path and keeps the valid neighbour", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const res = await post(p.ingest, [
      { deployment: slug, ttft_ms: 1e308 },
      { deployment: slug, evals: { judge: 1e308 } },
      { deployment: slug, cost_usd: 1e308 },
      { deployment: slug, input_tokens: 2 ** 53 - 1 },
      { deployment: slug, latency_ms: 5, cost_usd: 0.01 },
    ]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: Rejected[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.path)).toEqual([
      "ttft_ms",
      "evals.judge",
      "cost_usd",
      "input_tokens",
    ]);
  });
});

describe("huge numbers in OTLP spans", () => {
  it("rejects a span whose mapped fields pass their bounds, naming the field, and keeps the others", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const span = (
      id: string,
      attributes: { key: string; value: unknown }[],
      endNs = start + 800_000_000n,
    ) => ({
      spanId: id,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: endNs.toString(),
      attributes: [
        { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
        ...attributes,
      ],
    });
    const res = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: {
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: slug } }] },
            scopeSpans: [
              {
                spans: [
                  span("00000000000000a1", [
                    { key: "gen_ai.server.time_to_first_token", value: { doubleValue: 1e305 } },
                  ]),
                  span("00000000000000a2", [
                    { key: "gen_ai.usage.input_tokens", value: { intValue: "9007199254740993" } },
                  ]),
                  span("00000000000000a3", [], start + 10n ** 18n),
                  span("00000000000000a4", []),
                ],
              },
            ],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(body.partialSuccess.rejectedSpans).toBe(3);
    for (const field of ["ttft_ms", "input_tokens", "latency_ms"]) {
      expect(body.partialSuccess.errorMessage).toContain(`${field}: must be at most`);
    }
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 1,
      ),
    ).toBe(1);
  });
});

describe("huge numbers inside a deployment's object", () => {
  it("two events with latency_ms 1e308 a few seconds apart leave a window that answers", async () => {
    const slug = uniqueSlug("huge");
    await applyEvents(slug, [{ latency_ms: 1e308 }]);
    const stub = await applyEvents(slug, [{ latency_ms: 1e308 }, { latency_ms: 10 }]);
    const { summary } = await stub.snapshot(lastHour());
    expect(summary.count).toBe(3);
    expect(summary.distributions.latency_ms.max).toBe(1e308);
    expect(Number.isFinite(summary.distributions.latency_ms.mean)).toBe(true);
    // And the object keeps taking batches.
    await applyEvents(slug, [{ latency_ms: 20 }]);
    expect((await stub.snapshot(lastHour())).summary.count).toBe(4);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
  });

  it("a cost_usd total past the largest double stays a large number, never 0", async () => {
    const slug = uniqueSlug("huge");
    await applyEvents(slug, [{ cost_usd: 1e308 }]);
    const stub = await applyEvents(slug, [{ cost_usd: 1e308 }]);
    const { summary } = await stub.snapshot(lastHour());
    expect(summary.cost.total_usd).toBe(Number.MAX_VALUE);
  });

  it("isolates a bucket that does not decode: applies, reads and the alarm go on, and it is reported", async () => {
    const slug = uniqueSlug("corrupt");
    const stub = await applyEvents(slug, [{ latency_ms: 10 }]);
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    const stale = minute - 4 * 3_600_000;
    await runInDurableObject(stub, (_instance: DeploymentMonitor, state) => {
      const garbage = new Uint8Array([1, 2, 3, 4]);
      state.storage.sql.exec(
        "UPDATE buckets SET data = ? WHERE resolution = '1m' AND start = ?",
        garbage,
        minute,
      );
      state.storage.sql.exec(
        "INSERT INTO buckets (resolution, start, data, dirty) VALUES ('1m', ?, ?, 1)",
        stale,
        garbage,
      );
    });
    // The next batch for the corrupt minute starts it afresh.
    await applyEvents(slug, [{ latency_ms: 20 }]);
    const snap = await stub.snapshot(lastHour());
    expect(snap.summary.count).toBe(1);
    expect(snap.quarantined).toBe(1);
    // The alarm flushes what decodes and expires the old corrupt bucket (set aside too).
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, (_i: DeploymentMonitor, state) => ({
      buckets: state.storage.sql
        .exec<{ n: number }>("SELECT count(*) AS n FROM buckets WHERE start = ?", stale)
        .one().n,
      quarantined: state.storage.sql
        .exec<{ start: number }>("SELECT start FROM quarantined_buckets ORDER BY start")
        .toArray()
        .map((r) => r.start),
    }));
    expect(left).toEqual({ buckets: 0, quarantined: [minute] });
  });
});
