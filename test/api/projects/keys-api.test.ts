// Key expiry, last use, rotation and ingest-key restrictions through the HTTP API.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { client, expectStatus, issuePath } from "../../client";
import { call, createProject, type TestProject, uniqueSlug, waitFor } from "../../helpers";

type KeyRequest = Parameters<
  ReturnType<typeof client>["v1"]["projects"][":id"]["keys"]["$post"]
>[0]["json"];

const keysOf = (p: TestProject) => client(p.admin).v1.projects[":id"].keys;

const createKey = (p: TestProject, json: KeyRequest) =>
  keysOf(p).$post({ param: { id: p.id }, json });

async function listKeys(p: TestProject) {
  return (await expectStatus(await keysOf(p).$get({ param: { id: p.id } }), 200)).keys;
}

const send = (key: string, json: unknown, headers: Record<string, string> = {}) =>
  call("/v1/events", { method: "POST", key, json, headers });

describe("key expiry", () => {
  it("answers 401 saying the key expired, and refuses an expiry in the past", async () => {
    const p = await createProject();
    const expiresAt = Date.now() + 3_600_000;
    const body = await expectStatus(
      await createKey(p, { scopes: ["ingest"], expires_at: expiresAt }),
      201,
    );
    expect(body.key.expires_at).toBe(expiresAt);
    // Moved into the past before first use, so no isolate cache holds the key yet.
    await env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1_000, body.key.id)
      .run();
    const res = await send(body.key.secret, { deployment: uniqueSlug(), latency_ms: 1 });
    expect(res.status).toBe(401);
    const error = (await res.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe("unauthorized");
    expect(error.error.message).toContain("expired at");

    const past = await createKey(p, { scopes: ["read"], expires_at: Date.now() - 1 });
    expect(issuePath(await expectStatus(past, 400))).toBe("expires_at");
  });
});

describe("last use", () => {
  it("records the first use and does not rewrite it within the minute", async () => {
    const p = await createProject();
    const body = await expectStatus(await createKey(p, { scopes: ["read"] }), 201);
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
    const created = await createKey(p, {
      name: "web",
      scopes: ["ingest"],
      allowed_deployments: ["bot-a"],
    });
    const old = (await expectStatus(created, 201)).key;
    const oldExpiry = Date.now() + 86_400_000;
    const rotate = (keyId: string, key = p.admin, json = {}) =>
      client(key).v1.projects[":id"].keys[":keyId"].rotate.$post({
        param: { id: p.id, keyId },
        json,
      });
    const rotated = await expectStatus(
      await rotate(old.id, p.admin, { old_key_expires_at: oldExpiry }),
      201,
    );
    expect(rotated.key).toMatchObject({
      name: "web",
      scopes: ["ingest"],
      allowed_deployments: ["production/bot-a"],
      expires_at: null,
    });
    expect(rotated.key.id).not.toBe(old.id);
    expect(rotated.key.secret).not.toBe(old.secret);
    expect(rotated.previous).toMatchObject({ id: old.id, expires_at: oldExpiry });

    const event = { deployment: "bot-a", latency_ms: 1 };
    expect((await send(old.secret, event)).status).toBe(202);
    expect((await send(rotated.key.secret, event)).status).toBe(202);
    await client(p.admin).v1.projects[":id"].keys[":keyId"].$delete({
      param: { id: p.id, keyId: old.id },
    });
    expect((await send(old.secret, event)).status).toBe(401);
    expect((await send(rotated.key.secret, event)).status).toBe(202);

    expect((await rotate(old.id)).status).toBe(409);
    expect((await rotate("key_missing")).status).toBe(404);
    const other = await createProject();
    expect((await rotate(rotated.key.id, other.admin)).status).toBe(403);
  });
});

describe("ingest key restrictions", () => {
  it("answers 403 for an Origin outside the list and accepts listed or absent ones", async () => {
    const p = await createProject();
    const body = await expectStatus(
      await createKey(p, { scopes: ["ingest"], allowed_origins: ["https://App.example.com"] }),
      201,
    );
    expect(body.key.allowed_origins).toEqual(["https://app.example.com"]);
    const event = { deployment: uniqueSlug(), latency_ms: 1 };
    const ok = await send(body.key.secret, event, { origin: "https://app.example.com" });
    expect(ok.status).toBe(202);
    expect((await send(body.key.secret, event)).status).toBe(202);
    const refused = await send(body.key.secret, event, { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    const error = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe("forbidden");
    expect(error.error.message).toBe(
      "Origin 'https://evil.example' is not among this API key's allowed origins",
    );
  });

  it("rejects events for other deployments one by one and accepts the rest", async () => {
    const p = await createProject();
    const body = await expectStatus(
      await createKey(p, { scopes: ["ingest"], allowed_deployments: ["bot-a"] }),
      201,
    );
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
    expect(batch.rejected[0]?.message).toContain("'production/bot-b'");
    const none = await send(body.key.secret, { deployment: "bot-b", latency_ms: 1 });
    expect(none.status).toBe(400);
  });

  it("limits a key to bot in production: it cannot write bot in env0 or staging", async () => {
    const p = await createProject();
    const body = await expectStatus(
      await createKey(p, { scopes: ["ingest"], allowed_deployments: ["bot", "staging/search"] }),
      201,
    );
    expect(body.key.allowed_deployments).toEqual(["production/bot", "staging/search"]);
    const res = await send(body.key.secret, [
      { deployment: "bot", latency_ms: 1 },
      { deployment: "bot", environment: "env0", latency_ms: 1 },
      { deployment: "bot", environment: "staging", latency_ms: 1 },
      { deployment: "search", environment: "staging", latency_ms: 1 },
      { deployment: "search", latency_ms: 1 },
    ]);
    const batch = (await expectStatus(res, 202)) as {
      accepted: number;
      rejected: { index: number; code: string; message: string }[];
    };
    expect(batch.accepted).toBe(2);
    expect(batch.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "deployment_not_allowed"],
      [2, "deployment_not_allowed"],
      [4, "deployment_not_allowed"],
    ]);
    expect(batch.rejected[0]?.message).toContain("'env0/bot'");
  });

  it("reads a key stored with bare slugs as production deployments", async () => {
    const p = await createProject();
    const body = await expectStatus(await createKey(p, { scopes: ["ingest"] }), 201);
    await env.DB.prepare("UPDATE api_keys SET allowed_deployments = ? WHERE id = ?")
      .bind(JSON.stringify(["bot"]), body.key.id)
      .run();
    const listed = (await listKeys(p)).find((k) => k.id === body.key.id);
    expect(listed?.allowed_deployments).toEqual(["production/bot"]);
    const res = await send(body.key.secret, [
      { deployment: "bot", latency_ms: 1 },
      { deployment: "bot", environment: "env1", latency_ms: 1 },
    ]);
    const batch = (await expectStatus(res, 202)) as { accepted: number; rejected: unknown[] };
    expect([batch.accepted, batch.rejected.length]).toEqual([1, 1]);
  });

  it("refuses restrictions on keys that are not ingest-only, and bad origins", async () => {
    const p = await createProject();
    const admin = await createKey(p, { scopes: ["admin"], allowed_origins: ["https://a.example"] });
    expect(issuePath(await expectStatus(admin, 400))).toBe("allowed_origins");
    const mixed = await createKey(p, { scopes: ["ingest", "read"], allowed_deployments: ["x"] });
    expect(issuePath(await expectStatus(mixed, 400))).toBe("allowed_deployments");
    const bad = await createKey(p, { scopes: ["ingest"], allowed_origins: ["a.example/path"] });
    expect(issuePath(await expectStatus(bad, 400))).toBe("allowed_origins.0");
    for (const entry of ["a/b/c", "Bot", "/bot", "prod/"]) {
      const wrong = await createKey(p, { scopes: ["ingest"], allowed_deployments: [entry] });
      expect(issuePath(await expectStatus(wrong, 400))).toBe("allowed_deployments.0");
    }
  });
});
