// The dashboard's sign-in holds the API's rules: expired keys are refused at sign-in and end
// their sessions, unknown keys count against the address's failure limit, and sign-in,
// sign-out and the incident actions are audited with the key's id and name.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { sessionExpiry } from "../../src/status/dashboard/session";
import { ADMIN, BASE, call, createProject, uniqueSlug } from "../helpers";
import { csrfOf, get } from "./dashboard-form";
import { seedDeployment, seedIncident } from "./seed";

const NOW = Date.now();
const HOUR = 3_600_000;

/** Posts a form as a browser does from one of our pages, from `address` when given. */
async function post(
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; address?: string } = {},
): Promise<Response> {
  const headers = new Headers({
    "content-type": "application/x-www-form-urlencoded",
    origin: BASE,
  });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.address) headers.set("cf-connecting-ip", options.address);
  const request = new Request(`${BASE}${path}`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams(fields).toString(),
  });
  // The failed-authentication limiter with 3 failures per 10 s (vitest.config.ts).
  const ctx = createExecutionContext();
  const res = await app.fetch(
    request,
    { ...env, AUTH_FAILURE_RATE_LIMIT: env.TIGHT_AUTH_FAILURE_LIMIT },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const signedIn = async (cookie: string) =>
  !(await (await get("/dashboard", cookie)).text()).includes("Sign in to the dashboard");

async function newKey(projectId: string, body: Record<string, unknown>) {
  const res = await call(`/v1/projects/${projectId}/keys`, {
    method: "POST",
    key: ADMIN,
    json: body,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: { id: string; secret: string } }).key;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("dashboard sessions and key expiry", () => {
  it("refuses to sign in with an expired key, saying it expired", async () => {
    const p = await createProject("expiry");
    const key = await newKey(p.id, { scopes: ["read"], expires_at: Date.now() + 300 });
    await sleep(400);
    const res = await post("/dashboard/sign-in", { key: key.secret });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("expired at");
  });

  it("ends a session when its key passes the old_key_expires_at of a rotation", async () => {
    const p = await createProject("rotation");
    const key = await newKey(p.id, { name: "ops laptop", scopes: ["read"] });
    const cookie = cookieOf(await post("/dashboard/sign-in", { key: key.secret }));
    expect(await signedIn(cookie)).toBe(true);
    const rotated = await call(`/v1/projects/${p.id}/keys/${key.id}/rotate`, {
      method: "POST",
      key: p.admin,
      json: { old_key_expires_at: Date.now() + 500 },
    });
    expect(rotated.status).toBe(201);
    expect(await signedIn(cookie)).toBe(true);
    await sleep(600);
    expect(await signedIn(cookie)).toBe(false);
    const again = await post("/dashboard/sign-in", { key: key.secret });
    expect(again.status).toBe(401);
  });

  it("never lets a session outlive its key's expiry", () => {
    expect(sessionExpiry(1_000, null)).toBe(1_000 + 12 * HOUR);
    expect(sessionExpiry(1_000, 1_000 + HOUR)).toBe(1_000 + HOUR);
    expect(sessionExpiry(1_000, 1_000 + 24 * HOUR)).toBe(1_000 + 12 * HOUR);
  });
});

describe("dashboard sign-in failure limit", () => {
  it("answers 429 with Retry-After once an address passes the failed sign-in limit", async () => {
    const p = await createProject("limit");
    const address = `203.0.113.${(Date.now() % 200) + 20}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(
        "/dashboard/sign-in",
        { key: `dw_read_${crypto.randomUUID()}` },
        { address },
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    const limited = await post("/dashboard/sign-in", { key: "dw_read_x" }, { address });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many failed authentication attempts");
    // Another address is not affected.
    const other = await post("/dashboard/sign-in", { key: p.read }, { address: "192.0.2.77" });
    expect(other.status).toBe(303);
  });
});

describe("dashboard audit entries", () => {
  it("records sign-in, acknowledge, silence and sign-out with the key's id and name", async () => {
    const p = await createProject("audit");
    const key = await newKey(p.id, { name: "on-call admin", scopes: ["admin"] });
    const deploymentId = await seedDeployment(p.id, uniqueSlug("bot"), NOW);
    const incident = uniqueSlug("inc");
    await seedIncident({
      id: incident,
      projectId: p.id,
      deploymentId,
      severity: "critical",
      metric: "thumbs_down_rate",
      status: "firing",
      firingAt: NOW - HOUR,
    });
    const cookie = cookieOf(await post("/dashboard/sign-in", { key: key.secret }));
    const csrf = csrfOf(await (await get("/dashboard", cookie)).text());
    expect((await post(`/dashboard/incidents/${incident}/ack`, { csrf }, { cookie })).status).toBe(
      303,
    );
    const silence = await post(
      `/dashboard/incidents/${incident}/silence`,
      { csrf, minutes: "60" },
      { cookie },
    );
    expect(silence.status).toBe(303);
    expect((await post("/dashboard/sign-out", { csrf }, { cookie })).status).toBe(303);
    const rows = await env.DB.prepare(
      "SELECT action, actor, actor_name, target FROM audit_log WHERE project_id = ? AND actor = ? ORDER BY id",
    )
      .bind(p.id, `key:${key.id}`)
      .all<{ action: string; actor: string; actor_name: string | null; target: string }>();
    expect(rows.results).toEqual([
      {
        action: "dashboard.sign_in",
        actor: `key:${key.id}`,
        actor_name: "on-call admin",
        target: key.id,
      },
      {
        action: "incident.ack",
        actor: `key:${key.id}`,
        actor_name: "on-call admin",
        target: incident,
      },
      {
        action: "incident.silence",
        actor: `key:${key.id}`,
        actor_name: "on-call admin",
        target: incident,
      },
      {
        action: "dashboard.sign_out",
        actor: `key:${key.id}`,
        actor_name: "on-call admin",
        target: key.id,
      },
    ]);
  });
});
