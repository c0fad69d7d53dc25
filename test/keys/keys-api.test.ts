// Key expiry, last use, rotation and ingest-key restrictions through the HTTP API.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createProject, type TestProject, uniqueSlug, waitFor } from "../helpers";

interface KeyView {
  id: string;
  name: string;
  scopes: string[];
  secret: string;
  expires_at: number | null;
  last_used_at: number | null;
  allowed_origins: string[] | null;
  allowed_deployments: string[] | null;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { issues?: { path: string }[] } };
}

async function createKey(p: TestProject, json: Record<string, unknown>) {
  const res = await call(`/v1/projects/${p.id}/keys`, { method: "POST", key: p.admin, json });
  return { status: res.status, body: (await res.json()) as { key: KeyView } & ErrorBody };
}

async function listKeys(p: TestProject): Promise<KeyView[]> {
  const res = await call(`/v1/projects/${p.id}/keys`, { key: p.admin });
  return ((await res.json()) as { keys: KeyView[] }).keys;
}

const send = (key: string, json: unknown, headers: Record<string, string> = {}) =>
  call("/v1/events", { method: "POST", key, json, headers });

describe("key expiry", () => {
  it("answers 401 saying the key expired, and refuses an expiry in the past", async () => {
    const p = await createProject();
    const expiresAt = Date.now() + 3_600_000;
    const { status, body } = await createKey(p, { scopes: ["ingest"], expires_at: expiresAt });
    expect(status).toBe(201);
    expect(body.key.expires_at).toBe(expiresAt);
    // Moved into the past before first use, so no isolate cache holds the key yet.
    await env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1_000, body.key.id)
      .run();
    const res = await send(body.key.secret, { deployment: uniqueSlug(), latency_ms: 1 });
    expect(res.status).toBe(401);
    const error = (await res.json()) as ErrorBody;
    expect(error.error.code).toBe("unauthorized");
    expect(error.error.message).toContain("expired at");

    const past = await createKey(p, { scopes: ["read"], expires_at: Date.now() - 1 });
    expect(past.status).toBe(400);
    expect(past.body.error.details?.issues?.[0]?.path).toBe("expires_at");
  });
});

describe("last use", () => {
  it("records the first use and does not rewrite it within the minute", async () => {
    const p = await createProject();
    const { body } = await createKey(p, { scopes: ["read"] });
    expect(body.key.last_used_at).toBeNull();
    const before = Date.now();
    expect((await call("/v1/deployments", { key: body.key.secret })).status).toBe(200);
    const first = await waitFor(
      async () => (await listKeys(p)).find((k) => k.id === body.key.id)?.last_used_at ?? null,
      (at) => at !== null,
    );
    expect(first).toBeGreaterThanOrEqual(before);
    expect((await call("/v1/deployments", { key: body.key.secret })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await listKeys(p)).find((k) => k.id === body.key.id)?.last_used_at).toBe(first);
  });
});

describe("rotation", () => {
  it("creates a like key and leaves the old one valid until it is revoked", async () => {
    const p = await createProject();
    const { body } = await createKey(p, {
      name: "web",
      scopes: ["ingest"],
      allowed_deployments: ["bot-a"],
    });
    const old = body.key;
    const oldExpiry = Date.now() + 86_400_000;
    const res = await call(`/v1/projects/${p.id}/keys/${old.id}/rotate`, {
      method: "POST",
      key: p.admin,
      json: { old_key_expires_at: oldExpiry },
    });
    expect(res.status).toBe(201);
    const rotated = (await res.json()) as { key: KeyView; previous: KeyView };
    expect(rotated.key).toMatchObject({
      name: "web",
      scopes: ["ingest"],
      allowed_deployments: ["bot-a"],
      expires_at: null,
    });
    expect(rotated.key.id).not.toBe(old.id);
    expect(rotated.key.secret).not.toBe(old.secret);
    expect(rotated.previous).toMatchObject({ id: old.id, expires_at: oldExpiry });

    const event = { deployment: "bot-a", latency_ms: 1 };
    expect((await send(old.secret, event)).status).toBe(202);
    expect((await send(rotated.key.secret, event)).status).toBe(202);
    await call(`/v1/projects/${p.id}/keys/${old.id}`, { method: "DELETE", key: p.admin });
    expect((await send(old.secret, event)).status).toBe(401);
    expect((await send(rotated.key.secret, event)).status).toBe(202);

    const again = await call(`/v1/projects/${p.id}/keys/${old.id}/rotate`, {
      method: "POST",
      key: p.admin,
      json: {},
    });
    expect(again.status).toBe(409);
    const missing = await call(`/v1/projects/${p.id}/keys/key_missing/rotate`, {
      method: "POST",
      key: p.admin,
      json: {},
    });
    expect(missing.status).toBe(404);
    const other = await createProject();
    const foreign = await call(`/v1/projects/${p.id}/keys/${rotated.key.id}/rotate`, {
      method: "POST",
      key: other.admin,
      json: {},
    });
    expect(foreign.status).toBe(403);
  });
});

describe("ingest key restrictions", () => {
  it("answers 403 for an Origin outside the list and accepts listed or absent ones", async () => {
    const p = await createProject();
    const { body } = await createKey(p, {
      scopes: ["ingest"],
      allowed_origins: ["https://App.example.com"],
    });
    expect(body.key.allowed_origins).toEqual(["https://app.example.com"]);
    const event = { deployment: uniqueSlug(), latency_ms: 1 };
    const ok = await send(body.key.secret, event, { origin: "https://app.example.com" });
    expect(ok.status).toBe(202);
    expect((await send(body.key.secret, event)).status).toBe(202);
    const refused = await send(body.key.secret, event, { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    const error = (await refused.json()) as ErrorBody;
    expect(error.error.code).toBe("forbidden");
    expect(error.error.message).toBe(
      "Origin 'https://evil.example' is not among this API key's allowed origins",
    );
  });

  it("rejects events for other deployments one by one and accepts the rest", async () => {
    const p = await createProject();
    const { body } = await createKey(p, { scopes: ["ingest"], allowed_deployments: ["bot-a"] });
    const res = await send(body.key.secret, [
      { deployment: "bot-a", latency_ms: 1 },
      { deployment: "bot-b", latency_ms: 1 },
      { deployment: "bot-a", latency_ms: "slow" },
      { deployment: "bot-a", latency_ms: 2 },
    ]);
    expect(res.status).toBe(202);
    const batch = (await res.json()) as {
      accepted: number;
      rejected: { index: number; code: string; message: string }[];
    };
    expect(batch.accepted).toBe(2);
    expect(batch.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "deployment_not_allowed"],
      [2, "invalid_event"],
    ]);
    expect(batch.rejected[0]?.message).toContain("'bot-b'");
    const none = await send(body.key.secret, { deployment: "bot-b", latency_ms: 1 });
    expect(none.status).toBe(400);
  });

  it("refuses restrictions on keys that are not ingest-only, and bad origins", async () => {
    const p = await createProject();
    const admin = await createKey(p, { scopes: ["admin"], allowed_origins: ["https://a.example"] });
    expect(admin.status).toBe(400);
    expect(admin.body.error.details?.issues?.[0]?.path).toBe("allowed_origins");
    const mixed = await createKey(p, { scopes: ["ingest", "read"], allowed_deployments: ["x"] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details?.issues?.[0]?.path).toBe("allowed_deployments");
    const bad = await createKey(p, { scopes: ["ingest"], allowed_origins: ["a.example/path"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.issues?.[0]?.path).toBe("allowed_origins.0");
  });
});
