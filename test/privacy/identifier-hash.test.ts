import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  ADMIN,
  archivedEvents,
  call,
  createProject,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../helpers";

async function storedSecret(projectId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT hash_secret FROM projects WHERE id = ?")
    .bind(projectId)
    .first<{ hash_secret: string }>();
  if (!row) throw new Error("no project");
  return row.hash_secret;
}

/** HMAC-SHA-256 computed here, independently of src/privacy, truncated to 16 bytes. */
async function expectedHash(secretHex: string, value: string): Promise<string> {
  const raw = new Uint8Array((secretHex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(value));
  return Buffer.from(mac).subarray(0, 16).toString("hex");
}

async function ingestUser(project: { id: string; ingest: string }, id: string, user: string) {
  const before = await storedEventCount(project.id);
  const res = await call("/v1/events", {
    method: "POST",
    key: project.ingest,
    json: { id, deployment: uniqueSlug(), user, session: `s-${user}` },
  });
  expect(res.status).toBe(202);
  await waitFor(
    () => storedEventCount(project.id),
    (n) => n > before,
  );
  const event = (await archivedEvents(project.id)).find((e) => e.id === id);
  return (event ?? {}) as { user_hash?: string; session_hash?: string };
}

describe("user and session hashing with a per-project secret", () => {
  it("stores HMAC-SHA-256(secret, value), different per project, changed by rotation", async () => {
    const a = await createProject("hash-a");
    const b = await createProject("hash-b");
    const secretA = await storedSecret(a.id);
    expect(secretA).toMatch(/^[0-9a-f]{64}$/);
    expect(await storedSecret(b.id)).not.toBe(secretA);

    const inA = await ingestUser(a, "h1", "user-1234");
    expect(inA.user_hash).toBe(await expectedHash(secretA, "user-1234"));
    expect(inA.session_hash).toBe(await expectedHash(secretA, "s-user-1234"));
    const inB = await ingestUser(b, "h1", "user-1234");
    expect(inB.user_hash).toBe(await expectedHash(await storedSecret(b.id), "user-1234"));
    expect(inB.user_hash).not.toBe(inA.user_hash);

    const rotate = await call(`/v1/projects/${a.id}/hash-secret/rotate`, {
      method: "POST",
      key: a.admin,
    });
    expect(rotate.status).toBe(200);
    const rotated = await storedSecret(a.id);
    expect(rotated).not.toBe(secretA);
    const after = await ingestUser(a, "h2", "user-1234");
    expect(after.user_hash).toBe(await expectedHash(rotated, "user-1234"));
    expect(after.user_hash).not.toBe(inA.user_hash);
  });

  it("rotation needs the admin scope", async () => {
    const p = await createProject();
    const res = await call(`/v1/projects/${p.id}/hash-secret/rotate`, {
      method: "POST",
      key: p.read,
    });
    expect(res.status).toBe(403);
  });

  it("never returns the secret nor writes it to the audit log", async () => {
    const create = await call("/v1/projects", {
      method: "POST",
      key: ADMIN,
      json: { name: "secret-check" },
    });
    const created = await create.text();
    const { project } = JSON.parse(created) as { project: { id: string } };
    const first = await storedSecret(project.id);
    const answers = [created];
    const path = `/v1/projects/${project.id}`;
    answers.push(await (await call(path, { key: ADMIN })).text());
    answers.push(
      await (await call(path, { method: "PATCH", key: ADMIN, json: { name: "renamed" } })).text(),
    );
    answers.push(
      await (await call(`${path}/hash-secret/rotate`, { method: "POST", key: ADMIN })).text(),
    );
    const second = await storedSecret(project.id);
    answers.push(await (await call(path, { key: ADMIN })).text());
    answers.push(await (await call(`${path}/keys`, { key: ADMIN })).text());
    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE project_id = ?")
      .bind(project.id)
      .all();
    expect(audit.results.map((r) => r.action)).toContain("project.rotate_hash_secret");
    const everything = answers.join("\n") + JSON.stringify(audit.results);
    expect(everything).toContain(project.id);
    expect(everything).not.toContain(first);
    expect(everything).not.toContain(second);
    expect(everything).not.toMatch(/hash_?secret"\s*:/i);
  });
});
