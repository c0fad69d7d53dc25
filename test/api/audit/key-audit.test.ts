// Key and identifier-secret changes are audited in the same D1 batch as the change: each
// writes one entry (no secret in it), and when the audit write fails the change is not made.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { client, expectStatus } from "../../client";
import { ADMIN, createProject, type TestProject } from "../../helpers";

const entries = async (p: TestProject, action: string) =>
  (await expectStatus(await client(p.admin).v1.audit.$get({ query: { action } }), 200)).entries;

const project = (p: TestProject) => client(p.admin).v1.projects[":id"];

/** Makes every audit-log insert for `projectId` fail, as a full or broken D1 would. */
async function refuseAuditWrites(projectId: string): Promise<void> {
  await env.DB.prepare(
    `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.project_id = '${projectId}'
     BEGIN SELECT RAISE(ABORT, 'audit write refused'); END`,
  ).run();
}

afterEach(async () => {
  await env.DB.prepare("DROP TRIGGER IF EXISTS refuse_audit").run();
});

const keyRow = (id: string) =>
  env.DB.prepare("SELECT revoked_at, expires_at FROM api_keys WHERE id = ?")
    .bind(id)
    .first<{ revoked_at: number | null; expires_at: number | null }>();

const hashSecretOf = async (projectId: string) =>
  (
    await env.DB.prepare("SELECT hash_secret FROM projects WHERE id = ?")
      .bind(projectId)
      .first<{ hash_secret: string }>()
  )?.hash_secret;

describe("audit entries for keys and the hash secret", () => {
  it("records key creation, rotation and revocation with the key's view, never its secret", async () => {
    const p = await createProject();
    const keys = project(p).keys;
    const created = await expectStatus(
      await keys.$post({ param: { id: p.id }, json: { name: "web", scopes: ["read"] } }),
      201,
    );
    const [create] = await entries(p, "key.create");
    expect(create).toMatchObject({
      actor: expect.stringMatching(/^key:key_/),
      target: created.key.id,
      before: null,
      after: { id: created.key.id, name: "web", scopes: ["read"], revoked_at: null },
    });

    const oldExpiry = Date.now() + 3_600_000;
    const rotated = await expectStatus(
      await keys[":keyId"].rotate.$post({
        param: { id: p.id, keyId: created.key.id },
        json: { old_key_expires_at: oldExpiry },
      }),
      201,
    );
    const [rotate] = await entries(p, "key.rotate");
    expect(rotate).toMatchObject({
      target: created.key.id,
      before: { id: created.key.id, expires_at: null },
      after: {
        previous: { id: created.key.id, expires_at: oldExpiry },
        key: { id: rotated.key.id, name: "web" },
      },
    });

    await expectStatus(
      await keys[":keyId"].$delete({ param: { id: p.id, keyId: created.key.id } }),
      200,
    );
    // Revoking again changes nothing, so it writes no second entry.
    await keys[":keyId"].$delete({ param: { id: p.id, keyId: created.key.id } });
    const revokes = await entries(p, "key.revoke");
    expect(revokes).toHaveLength(1);
    expect(revokes[0]).toMatchObject({
      target: created.key.id,
      before: { revoked_at: null },
      after: { revoked_at: expect.any(Number) },
    });

    const all = JSON.stringify([await entries(p, "key.create"), revokes, rotate]);
    for (const secret of [created.key.secret, rotated.key.secret]) {
      expect(all).not.toContain(secret);
    }
  });

  it("records a hash-secret rotation without the secret", async () => {
    const p = await createProject();
    const before = await hashSecretOf(p.id);
    const res = await project(p)["hash-secret"].rotate.$post({ param: { id: p.id } });
    const { rotated_at } = await expectStatus(res, 200);
    const [entry] = await entries(p, "project.rotate_hash_secret");
    expect(entry).toMatchObject({ target: p.id, before: null, after: { rotated_at } });
    const after = await hashSecretOf(p.id);
    expect(after).not.toBe(before);
    expect(JSON.stringify(entry)).not.toContain(after);
  });
});

describe("when the audit write fails", () => {
  it("creates no key", async () => {
    const p = await createProject();
    await refuseAuditWrites(p.id);
    const res = await client(ADMIN).v1.projects[":id"].keys.$post({
      param: { id: p.id },
      json: { name: "doomed", scopes: ["read"] },
    });
    expect(res.status).toBe(500);
    const named = await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE name = 'doomed'")
      .bind()
      .first<{ n: number }>();
    expect(named?.n).toBe(0);
  });

  it("neither revokes nor rotates the key, and keeps the hash secret", async () => {
    const p = await createProject();
    const { key } = await expectStatus(
      await project(p).keys.$post({ param: { id: p.id }, json: { scopes: ["read"] } }),
      201,
    );
    const keyCount = async () =>
      (
        await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE project_id = ?")
          .bind(p.id)
          .first<{ n: number }>()
      )?.n;
    const keysBefore = await keyCount();
    const secretBefore = await hashSecretOf(p.id);
    await refuseAuditWrites(p.id);
    const keyPath = { param: { id: p.id, keyId: key.id } };
    const admin = client(ADMIN).v1.projects[":id"];

    expect((await admin.keys[":keyId"].$delete(keyPath)).status).toBe(500);
    expect(await keyRow(key.id)).toEqual({ revoked_at: null, expires_at: null });

    const rotate = admin.keys[":keyId"].rotate.$post({
      ...keyPath,
      json: { old_key_expires_at: Date.now() + 60_000 },
    });
    expect((await rotate).status).toBe(500);
    expect(await keyRow(key.id)).toEqual({ revoked_at: null, expires_at: null });
    expect(await keyCount()).toBe(keysBefore);

    const rotateSecret = admin["hash-secret"].rotate.$post({ param: { id: p.id } });
    expect((await rotateSecret).status).toBe(500);
    expect(await hashSecretOf(p.id)).toBe(secretBefore);

    // The same requests succeed once the audit log takes writes again.
    await env.DB.prepare("DROP TRIGGER refuse_audit").run();
    expect((await admin.keys[":keyId"].$delete(keyPath)).status).toBe(200);
  });
});
