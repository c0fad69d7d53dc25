// Incident updates written by people: POST/GET /v1/incidents/{id}/updates and PATCH
// /v1/incidents/{id} public. Every status code each route answers, the text's rules on both
// sides of each limit, the audit entry, and a `resolved` update resolving by hand.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_UPDATE_CHARS, UpdateTextSchema } from "../../../src/alerts/incidents/update-text";
import { call, createProject, uniqueSlug } from "../../helpers";
import { seedDeployment, seedIncident } from "../../status/seed";

const NOW = Date.now();
const HOUR = 3_600_000;
let n = 0;

async function world(status: "firing" | "resolved" | "pending" = "firing") {
  const p = await createProject("updates");
  const deploymentId = await seedDeployment(p.id, uniqueSlug(), NOW);
  const incident = `inc_upd_${NOW.toString(36)}_${n++}`;
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId,
    severity: "critical",
    metric: "error_rate",
    status,
    firingAt: status === "pending" ? null : NOW - HOUR,
    resolvedAt: status === "resolved" ? NOW - HOUR / 2 : null,
  });
  // The whole machine state, as the evaluator writes it (the API shows it).
  const state = {
    fingerprint: `${deploymentId}|${incident}`,
    status,
    started_at: NOW - HOUR - 5 * 60_000,
    firing_at: status === "pending" ? null : NOW - HOUR,
    resolved_at: status === "resolved" ? NOW - HOUR / 2 : null,
    last_notified_at: null,
    last_evaluated_minute: NOW - 60_000,
    acked_at: null,
    silenced_until: null,
    last_value: 0.2,
  };
  await env.DB.prepare("UPDATE incidents SET state = ? WHERE id = ?")
    .bind(JSON.stringify(state), incident)
    .run();
  return { p, incident };
}

const postUpdate = (key: string | undefined, id: string, json: unknown) =>
  call(`/v1/incidents/${id}/updates`, { method: "POST", key, json });
const listUpdates = (key: string | undefined, id: string) =>
  call(`/v1/incidents/${id}/updates`, { key });

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string }[] };
}

describe("the update text", () => {
  it("keeps line breaks, trims blanks and accepts exactly 2,000 characters but not 2,001", () => {
    expect(UpdateTextSchema.parse("  Rolled back.\r\nWatching.  ")).toBe("Rolled back.\nWatching.");
    expect(UpdateTextSchema.safeParse("x".repeat(MAX_UPDATE_CHARS)).success).toBe(true);
    expect(UpdateTextSchema.safeParse("x".repeat(MAX_UPDATE_CHARS + 1)).success).toBe(false);
    // Blanks around the text do not count against the limit.
    expect(UpdateTextSchema.safeParse(` ${"x".repeat(MAX_UPDATE_CHARS)}\n`).success).toBe(true);
  });

  it("refuses empty text, control characters, direction overrides and markup, but not a lone <", () => {
    for (const bad of [
      "",
      "   ",
      "a\u0000b",
      "bell\u0007",
      "esc\u001b[31m",
      "rtl \u202e",
      "<b>x</b>",
      "<!-- x",
    ]) {
      expect(UpdateTextSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    for (const good of ["p95 < 2 s & falling", "tab\there", "Résolu, 修正済み"]) {
      expect(UpdateTextSchema.safeParse(good).success, good).toBe(true);
    }
  });
});

describe("POST /v1/incidents/{id}/updates", () => {
  it("writes an update on an open incident (201), lists it newest first, and audits it", async () => {
    const { p, incident } = await world();
    const first = await postUpdate(p.admin, incident, {
      status: "identified",
      text: "A prompt change doubled refusals.",
    });
    expect(first.status).toBe(201);
    const body = (await first.json()) as {
      update: { id: string; status: string; text: string; author: string; incident_id: string };
      incident: { status: string; public: boolean };
    };
    expect(body.update).toMatchObject({
      status: "identified",
      text: "A prompt change doubled refusals.",
      incident_id: incident,
    });
    expect(body.update.author).toMatch(/^key:/);
    expect(body.incident).toMatchObject({ status: "firing", public: true });
    const second = await postUpdate(p.admin, incident, {
      status: "monitoring",
      text: "Rolled back; watching.",
    });
    expect(second.status).toBe(201);
    const listed = (await (await listUpdates(p.read, incident)).json()) as {
      updates: { status: string }[];
    };
    expect(listed.updates.map((u) => u.status)).toEqual(["monitoring", "identified"]);
    const audit = await env.DB.prepare(
      "SELECT action, after FROM audit_log WHERE target = ? ORDER BY id",
    )
      .bind(incident)
      .all<{ action: string; after: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["incident.update", "incident.update"]);
    expect(JSON.parse(audit.results[0]?.after ?? "{}")).toMatchObject({
      status: "identified",
      text: "A prompt change doubled refusals.",
    });
  });

  it("resolves an open incident by hand with a resolved update, after which it takes no more (409)", async () => {
    const { p, incident } = await world();
    const res = await postUpdate(p.admin, incident, { status: "resolved", text: "Fixed." });
    expect(res.status).toBe(201);
    const row = await env.DB.prepare(
      "SELECT status, resolved_at, state FROM incidents WHERE id = ?",
    )
      .bind(incident)
      .first<{ status: string; resolved_at: number; state: string }>();
    expect(row?.status).toBe("resolved");
    expect(row?.resolved_at).toBeGreaterThanOrEqual(NOW);
    expect(JSON.parse(row?.state ?? "{}")).toMatchObject({ status: "resolved" });
    const late = await postUpdate(p.admin, incident, { status: "monitoring", text: "Still ok." });
    expect(late.status).toBe(409);
    const err = (await late.json()) as ErrorBody;
    expect(err.error.code).toBe("conflict");
    expect(err.error.message).toContain("is resolved");
    const listed = (await (await listUpdates(p.read, incident)).json()) as { updates: unknown[] };
    expect(listed.updates).toHaveLength(1);
  });

  it("answers 409 for an incident resolved by detection, writing nothing", async () => {
    const { p, incident } = await world("resolved");
    const res = await postUpdate(p.admin, incident, { status: "identified", text: "Late note." });
    expect(res.status).toBe(409);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE target = ?")
      .bind(incident)
      .first<{ n: number }>();
    expect(audit?.n).toBe(0);
  });

  it("answers 400 naming the field for bad text, an unknown status or an extra field", async () => {
    const { p, incident } = await world();
    const cases: [unknown, string][] = [
      [{ status: "identified", text: "<script>alert(1)</script>" }, "text"],
      [{ status: "identified", text: "bell\u0007" }, "text"],
      [{ status: "identified", text: "x".repeat(MAX_UPDATE_CHARS + 1) }, "text"],
      [{ status: "identified", text: " " }, "text"],
      [{ status: "fixed", text: "ok" }, "status"],
      [{ status: "identified" }, "text"],
    ];
    for (const [json, field] of cases) {
      const res = await postUpdate(p.admin, incident, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(`"${field}`);
    }
    const extra = await postUpdate(p.admin, incident, { status: "identified", text: "a", x: 1 });
    expect(extra.status).toBe(400);
    const listed = (await (await listUpdates(p.read, incident)).json()) as { updates: unknown[] };
    expect(listed.updates).toEqual([]);
  });

  it("answers 401 without a key, 403 to a read key and 404 for another project's incident", async () => {
    const { p, incident } = await world();
    const json = { status: "identified", text: "Looking." };
    expect((await postUpdate(undefined, incident, json)).status).toBe(401);
    expect((await postUpdate(p.read, incident, json)).status).toBe(403);
    expect((await postUpdate(p.admin, "inc_nope", json)).status).toBe(404);
    const other = await createProject("other");
    expect((await postUpdate(other.admin, incident, json)).status).toBe(404);
    expect((await listUpdates(other.read, incident)).status).toBe(404);
    expect((await listUpdates(undefined, incident)).status).toBe(401);
  });

  it("answers 404 for an inactive incident", async () => {
    const { p, incident } = await world();
    await env.DB.prepare("UPDATE incidents SET status = 'inactive' WHERE id = ?")
      .bind(incident)
      .run();
    expect((await postUpdate(p.admin, incident, { status: "identified", text: "x" })).status).toBe(
      404,
    );
  });
});

describe("PATCH /v1/incidents/{id}", () => {
  it("hides and shows an incident, audited, and answers 400, 401, 403 and 404", async () => {
    const { p, incident } = await world();
    const patch = (key: string | undefined, id: string, json: unknown) =>
      call(`/v1/incidents/${id}`, { method: "PATCH", key, json });
    const hidden = await patch(p.admin, incident, { public: false });
    expect(hidden.status).toBe(200);
    expect(((await hidden.json()) as { incident: { public: boolean } }).incident.public).toBe(
      false,
    );
    const shown = await patch(p.admin, incident, { public: true });
    expect(((await shown.json()) as { incident: { public: boolean } }).incident.public).toBe(true);
    const audit = await env.DB.prepare(
      "SELECT action, before, after FROM audit_log WHERE target = ? ORDER BY id",
    )
      .bind(incident)
      .all<{ action: string; before: string; after: string }>();
    expect(audit.results.map((r) => [r.action, r.before, r.after])).toEqual([
      ["incident.visibility", '{"public":true}', '{"public":false}'],
      ["incident.visibility", '{"public":false}', '{"public":true}'],
    ]);
    expect((await patch(p.admin, incident, { public: "no" })).status).toBe(400);
    expect((await patch(p.admin, incident, { status: "resolved" })).status).toBe(400);
    expect((await patch(undefined, incident, { public: false })).status).toBe(401);
    expect((await patch(p.read, incident, { public: false })).status).toBe(403);
    expect((await patch(p.admin, "inc_nope", { public: false })).status).toBe(404);
  });
});
