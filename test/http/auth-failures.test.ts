// Unauthenticated floods: failed authentications are limited per client address
// (CF-Connecting-IP) with AUTH_FAILURE_RATE_LIMIT, answered 429 with Retry-After, and a
// refused address's requests never reach D1; unknown keys are cached briefly and apart,
// so random keys cannot flush the working keys' cache. The app runs with
// TIGHT_AUTH_FAILURE_LIMIT (vitest.config.ts): 3 failures per 10 s.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { countAuthFailure } from "../../src/http/auth-failures";
import { lookupKey, UNKNOWN_KEY_CACHE_MAX } from "../../src/http/keys";
import { ADMIN, BASE, createProject } from "../helpers";

/** env.DB, counting the statements prepared on it (each D1 round trip starts with one). */
function countingDb(): { db: D1Database; prepared: () => number } {
  let n = 0;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          n++;
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, prepared: () => n };
}

let addressSeq = 0;
/** A fresh documentation address per test: the limiter's state outlives tests. */
const newAddress = () => `198.51.100.${(Date.now() + addressSeq++) % 250}`;
const randomKey = () => `dw_read_${crypto.randomUUID()}`;

async function send(
  path: string,
  key: string,
  address: string | null,
  db: D1Database = env.DB,
): Promise<Response> {
  const headers = new Headers({ authorization: `Bearer ${key}` });
  if (address !== null) headers.set("cf-connecting-ip", address);
  const ctx = createExecutionContext();
  const appEnv: Env = { ...env, DB: db, AUTH_FAILURE_RATE_LIMIT: env.TIGHT_AUTH_FAILURE_LIMIT };
  const res = await app.fetch(new Request(`${BASE}${path}`, { headers }), appEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function statuses(n: number, address: string | null): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await send("/v1/deployments", randomKey(), address);
    await res.body?.cancel();
    out.push(res.status);
  }
  return out;
}

describe("failed authentication per address", () => {
  it("is bound in every run of the Worker", () => {
    expect(env.AUTH_FAILURE_RATE_LIMIT).toBeDefined();
  });

  it("answers 401 up to the limit, then 429 with Retry-After; other addresses still get 401", async () => {
    const address = newAddress();
    expect(await statuses(3, address)).toEqual([401, 401, 401]);
    const refused = await send("/v1/deployments", randomKey(), address);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: unknown };
    };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toBe(
      `Too many failed authentication attempts from this address; retry after ${retryAfter} s`,
    );
    expect(body.error.details).toEqual({ retry_after_seconds: retryAfter });
    expect(await statuses(1, newAddress())).toEqual([401]);
  });

  it("answers a refused address without asking D1, yet lets a key it already knows through", async () => {
    const p = await createProject();
    const address = newAddress();
    // The read key is looked up (and cached) before the address is refused.
    expect((await send("/v1/deployments", p.read, address)).status).toBe(200);
    await statuses(4, address);

    const counted = countingDb();
    for (let i = 0; i < 5; i++) {
      const res = await send("/v1/deployments", randomKey(), address, counted.db);
      expect(res.status).toBe(429);
    }
    expect(counted.prepared()).toBe(0);

    expect((await send("/v1/deployments", p.read, address)).status).toBe(200);
    // The root token is compared in memory, never looked up: it works from the address too.
    expect((await send(`/v1/projects/${p.id}`, ADMIN, address)).status).toBe(200);
  });

  it("does not limit requests without CF-Connecting-IP (local runs without the proxy)", async () => {
    expect(await statuses(5, null)).toEqual([401, 401, 401, 401, 401]);
  });

  it("answers 401 as usual when the limiter itself fails", async () => {
    const broken: RateLimit = { limit: () => Promise.reject(new Error("limiter unavailable")) };
    await expect(countAuthFailure(broken, newAddress())).resolves.toBeNull();
  });
});

describe("key lookup cache", () => {
  it("asks D1 once for an unknown key retried at once", async () => {
    const { db, prepared } = countingDb();
    const key = randomKey();
    expect(await lookupKey(db, key)).toBeNull();
    expect(await lookupKey(db, key)).toBeNull();
    expect(prepared()).toBe(1);
  });

  it("keeps a working key cached while many random keys are looked up", async () => {
    const p = await createProject();
    const { db, prepared } = countingDb();
    expect((await lookupKey(db, p.ingest))?.projectId).toBe(p.id);
    expect(prepared()).toBe(1);
    const flood = UNKNOWN_KEY_CACHE_MAX + 100;
    // In concurrent rounds of 100; each is still one D1 lookup.
    for (let done = 0; done < flood; done += 100) {
      await Promise.all(Array.from({ length: 100 }, () => lookupKey(db, randomKey())));
    }
    expect(prepared()).toBe(1 + flood);
    expect((await lookupKey(db, p.ingest))?.projectId).toBe(p.id);
    expect(prepared()).toBe(1 + flood);
  }, 60_000);
});
