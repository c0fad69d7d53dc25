import { describe, expect, it } from "vitest";
import { createDeployment } from "../deployment-fixture";
import { ADMIN, call, createProject } from "../helpers";

const event = { deployment: "support-bot", latency_ms: 120 };

describe("projects and keys", () => {
  it("creates a project only with the root token", async () => {
    const ok = await call("/v1/projects", { method: "POST", key: ADMIN, json: { name: "acme" } });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as {
      project: { id: string; name: string; retention_days: number };
    };
    expect(body.project).toMatchObject({ name: "acme", retention_days: 30 });
    expect(body.project.id).toMatch(/^prj_/);

    const p = await createProject();
    const withKey = await call("/v1/projects", {
      method: "POST",
      key: p.admin,
      json: { name: "x" },
    });
    expect(withKey.status).toBe(403);
    const noKey = await call("/v1/projects", { method: "POST", json: { name: "x" } });
    expect(noKey.status).toBe(401);
  });

  it("rejects an invalid project body naming the field", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      key: ADMIN,
      json: { name: "a", colour: "red" },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: {
        code: string;
        message: string;
        requestId: string;
        details: { issues: { path: string }[] };
      };
    };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.issues[0]?.path).toBe("colour");
    expect(body.error.requestId).toBeTruthy();
  });

  it("shows a key's secret once and stores only its hash", async () => {
    const p = await createProject();
    const res = await call(`/v1/projects/${p.id}/keys`, {
      method: "POST",
      key: p.admin,
      json: { name: "ci", scopes: ["read"] },
    });
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: { id: string; secret: string; prefix: string } };
    expect(key.secret).toMatch(/^dw_read_/);
    const list = await call(`/v1/projects/${p.id}/keys`, { key: p.admin });
    const text = await list.text();
    expect(text).not.toContain(key.secret);
    expect(text).toContain(key.prefix);
  });

  it("answers 401 for missing, unknown and revoked keys and 403 for a wrong scope", async () => {
    const p = await createProject();
    expect((await call("/v1/events", { method: "POST", json: event })).status).toBe(401);
    expect(
      (await call("/v1/events", { method: "POST", key: "dw_ingest_nope", json: event })).status,
    ).toBe(401);
    expect((await call("/v1/events", { method: "POST", key: p.read, json: event })).status).toBe(
      403,
    );
    expect((await call("/v1/deployments", { key: p.ingest })).status).toBe(403);

    const created = await call(`/v1/projects/${p.id}/keys`, {
      method: "POST",
      key: p.admin,
      json: { scopes: ["ingest"] },
    });
    const { key } = (await created.json()) as { key: { id: string; secret: string } };
    expect(
      (await call("/v1/events", { method: "POST", key: key.secret, json: event })).status,
    ).toBe(202);
    const revoked = await call(`/v1/projects/${p.id}/keys/${key.id}`, {
      method: "DELETE",
      key: p.admin,
    });
    expect(revoked.status).toBe(200);
    const after = await call("/v1/events", { method: "POST", key: key.secret, json: event });
    expect(after.status).toBe(401);
    const body = (await after.json()) as { error: { code: string } };
    expect(body.error.code).toBe("unauthorized");
  });

  it("refuses keys of another project and unknown keys ids", async () => {
    const a = await createProject();
    const b = await createProject();
    expect((await call(`/v1/projects/${b.id}/keys`, { key: a.admin })).status).toBe(403);
    expect(
      (await call(`/v1/projects/${a.id}/keys/key_missing`, { method: "DELETE", key: a.admin }))
        .status,
    ).toBe(404);
  });

  it("accepts an ingest key in the query string only for ingest", async () => {
    const p = await createProject();
    const ingest = await call(`/v1/events?key=${p.ingest}`, { method: "POST", json: event });
    expect(ingest.status).toBe(202);
    const read = await call(`/v1/deployments?key=${p.read}`);
    expect(read.status).toBe(401);
    expect(((await read.json()) as { error: { message: string } }).error.message).toContain(
      "query string",
    );
  });

  it("validates the read API's query and path, naming the field", async () => {
    const p = await createProject();
    // The deployment exists: an unknown one answers 404 before its query is read.
    const { slug } = await createDeployment(p.id);
    const bad = await call(`/v1/deployments/production/${slug}/window?range=2d`, { key: p.read });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { details: { issues: { path: string }[] } } };
    expect(body.error.details.issues[0]?.path).toBe("range");
    expect((await call("/v1/deployments/Prod!/x/window", { key: p.read })).status).toBe(400);
    expect((await call("/v1/deployments/production/nobody/window", { key: p.read })).status).toBe(
      404,
    );
    expect((await call("/v1/deployments/production/nobody/releases", { key: p.read })).status).toBe(
      404,
    );
  });

  it("answers 404 in the error envelope for unknown routes", async () => {
    const res = await call("/v1/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
