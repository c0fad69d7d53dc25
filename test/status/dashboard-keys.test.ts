// Settings → Keys on the dashboard: create with scopes and limits (secret shown once), rotate
// (the new secret works, the old one until revoked), revoke; each through the key operations
// the API uses, audited; invalid values shown beside their field with nothing saved; read
// keys and cross-site posts refused.
// (The audit rows read here leave out the root token's, which created the test keys.)
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createKeyBody,
  dateField,
  listField,
  rotateKeyBody,
} from "../../src/status/dashboard/key-form";
import { call, createProject } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

const HOME = "/dashboard/settings/keys";

const secretOf = (html: string) => /<code id="created-secret">([^<]+)<\/code>/.exec(html)?.[1];

interface KeyRow {
  id: string;
  name: string;
  scopes: string;
  revoked_at: number | null;
  expires_at: number | null;
  allowed_deployments: string | null;
}
const keysOf = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT id, name, scopes, revoked_at, expires_at, allowed_deployments FROM api_keys WHERE project_id = ? ORDER BY created_at, id",
    )
      .bind(projectId)
      .all<KeyRow>()
  ).results;

const auditOf = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE project_id = ? AND action LIKE 'key.%' AND actor != 'root' ORDER BY id",
    )
      .bind(projectId)
      .all<{ action: string; actor: string }>()
  ).results;

const readsEvents = (secret: string, projectId: string) =>
  call(`/v1/projects/${projectId}/keys`, { key: secret });

async function admin() {
  const p = await createProject("dash-keys");
  const cookie = await dashboardCookie(p.admin);
  const csrf = csrfOf(await (await get(HOME, cookie)).text());
  return { p, cookie, csrf };
}

describe("the key forms' fields", () => {
  it("turn checkboxes, UTC dates and comma lists into the API's body", () => {
    expect(dateField("")).toBeUndefined();
    expect(dateField("2030-01-02")).toBe(Date.UTC(2030, 0, 2));
    expect(dateField("tomorrow")).toBeNaN();
    expect(listField(" a, b\nc ,")).toEqual(["a", "b", "c"]);
    expect(listField(" ")).toBeUndefined();
    expect(
      createKeyBody({ name: "beacon", scope_ingest: "on", allowed_deployments: "production/bot" }),
    ).toEqual({ name: "beacon", scopes: ["ingest"], allowed_deployments: ["production/bot"] });
    expect(rotateKeyBody({ old_key_expires_at: "" })).toEqual({});
  });
});

describe("dashboard key settings", () => {
  it("creates a key with scopes and limits, showing its secret once, audited as the key", async () => {
    const { p, cookie, csrf } = await admin();
    const before = (await keysOf(p.id)).length;
    const res = await post(
      HOME,
      {
        csrf,
        name: "beacon",
        scope_ingest: "on",
        allowed_deployments: "production/bot, staging/bot",
      },
      cookie,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    const secret = secretOf(html);
    expect(secret).toMatch(/^dw_ingest_/);
    const rows = await keysOf(p.id);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      name: "beacon",
      scopes: '["ingest"]',
      allowed_deployments: '["production/bot","staging/bot"]',
    });
    // Shown once: the page read again has the prefix only.
    expect(await (await get(HOME, cookie)).text()).not.toContain(secret ?? "?");
    expect(await auditOf(p.id)).toContainEqual({
      action: "key.create",
      actor: expect.stringMatching(/^key:/),
    });
  });

  it("shows each invalid field's error beside it and saves nothing (400)", async () => {
    const { p, cookie, csrf } = await admin();
    const before = await keysOf(p.id);
    const noScope = await post(HOME, { csrf, name: "x" }, cookie);
    expect(noScope.status).toBe(400);
    expect(await noScope.text()).toMatch(/id="new-scopes-error">/);
    const restricted = await post(
      HOME,
      { csrf, name: "admin-limited", scope_admin: "on", allowed_origins: "https://a.example" },
      cookie,
    );
    expect(restricted.status).toBe(400);
    const html = await restricted.text();
    expect(html).toMatch(/id="new-allowed_origins-error">only an ingest-only key/);
    expect(html).toContain('value="admin-limited"');
    const past = await post(
      HOME,
      { csrf, name: "old", scope_read: "on", expires_at: "2001-01-01" },
      cookie,
    );
    expect(past.status).toBe(400);
    expect(await past.text()).toMatch(/id="new-expires_at-error">must be in the future/);
    expect(await keysOf(p.id)).toEqual(before);
    expect(await auditOf(p.id)).toEqual([]);
  });

  it("rotates a key: the new secret works, the old one until revoked, then only the new", async () => {
    const { p, cookie, csrf } = await admin();
    await post(HOME, { csrf, name: "ops", scope_admin: "on" }, cookie);
    const oldSecret =
      secretOf(
        await (await post(HOME, { csrf, name: "ops2", scope_admin: "on" }, cookie)).text(),
      ) ?? "";
    const old = (await keysOf(p.id)).find((k) => k.name === "ops2");
    const rotated = await post(
      `${HOME}/${old?.id}/rotate`,
      { csrf, old_key_expires_at: "" },
      cookie,
    );
    expect(rotated.status).toBe(200);
    const newSecret = secretOf(await rotated.text()) ?? "";
    expect(newSecret).toMatch(/^dw_admin_/);
    expect((await readsEvents(newSecret, p.id)).status).toBe(200);
    expect((await readsEvents(oldSecret, p.id)).status).toBe(200);
    const revoked = await post(`${HOME}/${old?.id}/revoke`, { csrf }, cookie);
    expect(revoked.status).toBe(303);
    expect((await keysOf(p.id)).find((k) => k.id === old?.id)?.revoked_at).not.toBeNull();
    expect((await readsEvents(oldSecret, p.id)).status).toBe(401);
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual([
      "key.create",
      "key.create",
      "key.rotate",
      "key.revoke",
    ]);
    // A revoked key cannot be rotated: the page says so (409).
    const again = await post(`${HOME}/${old?.id}/rotate`, { csrf }, cookie);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("is revoked; create a new key instead");
  });

  it("refuses read keys (403) and cross-site posts (403), saving nothing", async () => {
    const p = await createProject("dash-keys-ro");
    const cookie = await dashboardCookie(p.read);
    const csrf = csrfOf(await (await get(HOME, cookie)).text());
    const before = await keysOf(p.id);
    const ro = await post(HOME, { csrf, name: "x", scope_admin: "on" }, cookie);
    expect(ro.status).toBe(403);
    expect(await ro.text()).toContain("Changing keys need an admin key.");
    const admin = await dashboardCookie(p.admin);
    const adminCsrf = csrfOf(await (await get(HOME, admin)).text());
    const cross = await post(
      HOME,
      { csrf: adminCsrf, name: "x", scope_admin: "on" },
      admin,
      "https://evil.example",
    );
    expect(cross.status).toBe(403);
    expect(await keysOf(p.id)).toEqual(before);
  });
});
