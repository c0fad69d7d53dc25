// Per-key request budget: past it the API answers 429 with Retry-After and the error
// envelope, stores nothing from the refused request, and leaves other keys and the root
// token alone. The app runs with the real Rate Limiting binding; TIGHT_RATE_LIMIT
// (vitest.config.ts) is the same binding with a budget of 3 requests per 10 s, consulted
// on every request unless a test says otherwise.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { checkKeyRate, consultEveryOf, DEFAULT_CONSULT_EVERY } from "../../src/http/rate-limit";
import {
  ADMIN,
  archivedEvents,
  BASE,
  call,
  createProject,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../helpers";

const tightEnv: Env = {
  ...env,
  KEY_RATE_LIMIT: env.TIGHT_RATE_LIMIT,
  RATE_LIMIT_CONSULT_EVERY: "1",
};

async function tightCall(
  path: string,
  key: string,
  json?: unknown,
  appEnv: Env = tightEnv,
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${BASE}${path}`, {
      method: json === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    }),
    appEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("per-key rate limit", () => {
  it("is bound in every run of the Worker", async () => {
    expect(env.KEY_RATE_LIMIT).toBeDefined();
    const p = await createProject();
    const res = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: { deployment: uniqueSlug(), latency_ms: 10 },
    });
    expect(res.status).toBe(202);
  });

  it("answers 429 with Retry-After past the key's budget and stores nothing from that request", async () => {
    const p = await createProject();
    const deployment = uniqueSlug();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await tightCall("/v1/events", p.ingest, [
        { deployment, id: `ok-${i}`, latency_ms: 10 },
      ]);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 202, 202]);

    const refused = await tightCall("/v1/events", p.ingest, [
      { deployment, id: "refused", latency_ms: 10 },
    ]);
    expect(refused.status).toBe(429);
    // Until the binding's 10-second window ends.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    const body = (await refused.json()) as {
      error: { code: string; message: string; requestId: string; details: unknown };
    };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toBe(
      `This API key is over its request budget; retry after ${retryAfter} s`,
    );
    expect(body.error.requestId).toBeTruthy();
    expect(body.error.details).toEqual({ retry_after_seconds: retryAfter });

    // The three accepted events are stored; the refused one never reaches the queue.
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 3,
      ),
    ).toBe(3);
    const ids = (await archivedEvents(p.id)).map((e) => e.id).sort();
    expect(ids).toEqual(["ok-0", "ok-1", "ok-2"]);
  });

  it("counts each key on its own, and never limits the root token", async () => {
    const p = await createProject();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await tightCall("/v1/deployments", p.read)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another read key of the same project still has its whole budget.
    const created = await call(`/v1/projects/${p.id}/keys`, {
      method: "POST",
      key: ADMIN,
      json: { scopes: ["read"] },
    });
    const other = ((await created.json()) as { key: { secret: string } }).key.secret;
    expect((await tightCall("/v1/deployments", other)).status).toBe(200);
    const root: number[] = [];
    for (let i = 0; i < 5; i++) root.push((await tightCall(`/v1/projects/${p.id}`, ADMIN)).status);
    expect(root).toEqual([200, 200, 200, 200, 200]);
  });

  it("consulted once per N requests, each consultation stands for N requests", async () => {
    const p = await createProject();
    const everyFour: Env = { ...tightEnv, RATE_LIMIT_CONSULT_EVERY: "4" };
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++)
      statuses.push((await tightCall("/v1/deployments", p.read, undefined, everyFour)).status);
    // The binding allows 3 consultations of 4 requests each: 12 requests, then 429.
    expect(statuses).toEqual([...Array<number>(12).fill(200), 429, 429]);
  });

  it("lets requests through when the limiter itself fails", async () => {
    const broken: RateLimit = {
      limit: () => Promise.reject(new Error("rate limiter unavailable")),
    };
    const auth = {
      kind: "key",
      keyId: "key_broken",
      projectId: "prj_x",
      scopes: ["ingest"],
    } as const;
    await expect(checkKeyRate(broken, auth, 1)).resolves.toBeUndefined();
    await expect(checkKeyRate(broken, auth, 1)).resolves.toBeUndefined();
  });

  it("reads RATE_LIMIT_CONSULT_EVERY as a whole number ≥ 1, else the default", () => {
    expect(consultEveryOf("4")).toBe(4);
    expect(consultEveryOf("1")).toBe(1);
    for (const bad of [undefined, "", "0", "-3", "2.5", "sixteen"])
      expect(consultEveryOf(bad), String(bad)).toBe(DEFAULT_CONSULT_EVERY);
    expect(DEFAULT_CONSULT_EVERY).toBe(16);
  });
});
