// /v1/maintenances: every status code each route answers, the window's rules on both sides
// of each limit (ends after it starts, at most 7 days, plain text), and the audit entries.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_PENDING_WINDOWS } from "../../../src/alerts/maintenance/maintenance-window";
import { call, createProject } from "../../helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface ErrorBody {
  error: { code: string; message: string; details?: { issues?: { path: string }[] } };
}
interface WindowBody {
  maintenance: { id: string; status: string; title: string; text: string; ends_at: number };
}

const window = (over: Record<string, unknown> = {}) => {
  const start = Date.now() + DAY;
  return {
    title: "Database upgrade",
    text: "Answers may be slow for a few minutes.\nNo data is lost.",
    starts_at: start,
    ends_at: start + 2 * HOUR,
    deployments: [{ slug: "support-bot" }],
    ...over,
  };
};

const post = (key: string | undefined, json: unknown) =>
  call("/v1/maintenances", { method: "POST", key, json });

async function audit(target: string) {
  const rows = await env.DB.prepare(
    "SELECT action, before, after FROM audit_log WHERE target = ? ORDER BY id",
  )
    .bind(target)
    .all<{ action: string; before: string | null; after: string | null }>();
  return rows.results;
}

describe("POST /v1/maintenances", () => {
  it("announces a window (201) as scheduled, defaults the environment, and audits it", async () => {
    const p = await createProject("mnt");
    const res = await post(p.admin, window());
    expect(res.status).toBe(201);
    const { maintenance } = (await res.json()) as WindowBody;
    expect(maintenance).toMatchObject({
      status: "scheduled",
      title: "Database upgrade",
      text: "Answers may be slow for a few minutes.\nNo data is lost.",
      deployments: [{ environment: "production", slug: "support-bot" }],
    });
    expect((await audit(maintenance.id)).map((r) => r.action)).toEqual(["maintenance.create"]);
  });

  it("accepts a window of exactly 7 days and refuses one a millisecond longer (400)", async () => {
    const p = await createProject("mnt");
    const start = Date.now() + HOUR;
    expect(
      (await post(p.admin, window({ starts_at: start, ends_at: start + 7 * DAY }))).status,
    ).toBe(201);
    const res = await post(p.admin, window({ starts_at: start, ends_at: start + 7 * DAY + 1 }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toContain("at most 7 days");
  });

  it("refuses a window that ends before or when it starts (400, naming ends_at)", async () => {
    const p = await createProject("mnt");
    const start = Date.now() + DAY;
    for (const ends_at of [start - HOUR, start]) {
      const res = await post(p.admin, window({ starts_at: start, ends_at }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.message).toContain("ends_at");
    }
  });

  it("refuses markup, control characters, a multi-line title and an empty text (400)", async () => {
    const p = await createProject("mnt");
    for (const bad of [
      { title: "<script>alert(1)</script>" },
      { title: "Upgrade\nnow" },
      { text: "esc\u001b[31m red" },
      { text: "rtl \u202e override" },
      { text: "<b>bold</b>" },
      { text: "   " },
      { deployments: [] },
    ]) {
      const res = await post(p.admin, window(bad));
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    // A lone "<" is text, not markup.
    expect((await post(p.admin, window({ text: "p95 < 2 s during the upgrade" }))).status).toBe(
      201,
    );
  });

  it("refuses a window that has already ended (409)", async () => {
    const p = await createProject("mnt");
    const res = await post(
      p.admin,
      window({ starts_at: Date.now() - 3 * HOUR, ends_at: Date.now() - HOUR }),
    );
    expect(res.status).toBe(409);
  });

  it(`bounds the windows not yet ended at ${MAX_PENDING_WINDOWS} per project (409 past it)`, async () => {
    const p = await createProject("mnt");
    const start = Date.now() + DAY;
    const rows = Array.from({ length: MAX_PENDING_WINDOWS }, (_, k) =>
      env.DB.prepare(
        `INSERT INTO maintenances (id, project_id, title, body, starts_at, ends_at, deployments, created_at, updated_at)
         VALUES (?1, ?2, 't', 'x', ?3, ?4, '[]', ?3, ?3)`,
      ).bind(`mnt_flood_${p.id}_${k}`, p.id, start, start + HOUR),
    );
    await env.DB.batch(rows);
    const res = await post(p.admin, window());
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toContain(`${MAX_PENDING_WINDOWS}`);
  });

  it("needs a key (401) with the admin scope (403 for read)", async () => {
    const p = await createProject("mnt");
    expect((await post(undefined, window())).status).toBe(401);
    expect((await post(p.read, window())).status).toBe(403);
  });
});

describe("GET, PATCH and DELETE /v1/maintenances/{id}", () => {
  it("lists windows to a read key and shows one (200), unknown or another project's is 404", async () => {
    const p = await createProject("mnt");
    const other = await createProject("mnt-other");
    const { maintenance } = (await (await post(p.admin, window())).json()) as WindowBody;
    const list = await call("/v1/maintenances", { key: p.read });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { maintenances: { id: string }[] };
    expect(body.maintenances.map((m) => m.id)).toEqual([maintenance.id]);
    expect((await call(`/v1/maintenances/${maintenance.id}`, { key: p.read })).status).toBe(200);
    expect((await call(`/v1/maintenances/${maintenance.id}`, { key: other.read })).status).toBe(
      404,
    );
    expect((await call("/v1/maintenances/mnt_nope", { key: p.read })).status).toBe(404);
  });

  it("changes a window (200) and audits before and after; a change leaving it invalid is 409", async () => {
    const p = await createProject("mnt");
    const { maintenance } = (await (await post(p.admin, window())).json()) as WindowBody;
    const path = `/v1/maintenances/${maintenance.id}`;
    const res = await call(path, {
      method: "PATCH",
      key: p.admin,
      json: { title: "Longer upgrade" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as WindowBody).maintenance.title).toBe("Longer upgrade");
    const tooLong = await call(path, {
      method: "PATCH",
      key: p.admin,
      json: { ends_at: maintenance.ends_at + 8 * DAY },
    });
    expect(tooLong.status).toBe(409);
    const rows = await audit(maintenance.id);
    expect(rows.map((r) => r.action)).toEqual(["maintenance.create", "maintenance.update"]);
    expect(JSON.parse(rows[1]?.before ?? "{}")).toMatchObject({ title: "Database upgrade" });
    expect(JSON.parse(rows[1]?.after ?? "{}")).toMatchObject({ title: "Longer upgrade" });
    expect((await call(path, { method: "PATCH", key: p.read, json: { title: "x" } })).status).toBe(
      403,
    );
  });

  it("cancels a window (200), audited; then it is 404", async () => {
    const p = await createProject("mnt");
    const { maintenance } = (await (await post(p.admin, window())).json()) as WindowBody;
    const path = `/v1/maintenances/${maintenance.id}`;
    expect((await call(path, { method: "DELETE", key: p.read })).status).toBe(403);
    expect((await call(path, { method: "DELETE", key: p.admin })).status).toBe(200);
    expect((await call(path, { method: "DELETE", key: p.admin })).status).toBe(404);
    expect((await audit(maintenance.id)).map((r) => r.action)).toEqual([
      "maintenance.create",
      "maintenance.delete",
    ]);
  });
});
