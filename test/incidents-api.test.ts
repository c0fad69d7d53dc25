// Incidents API: filters, get, ack/silence/resolve writing both the columns and the
// incident-machine state (and what the machine then does), and the delivery log.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type IncidentState, stepIncident } from "../src/alerts/incidents/incident-machine";
import { ADMIN, call, createProject, uniqueSlug } from "./helpers";

const MINUTE = 60_000;
let seq = 0;

interface IncidentBody {
  id: string;
  status: string;
  rule_id: string;
  deployment: { environment: string; slug: string };
  acked_at: number | null;
  silenced_until: number | null;
  silenced: boolean;
  resolved_at: number | null;
  state: IncidentState;
  last_check: Record<string, unknown> | null;
}
interface ErrorBody {
  error: { code: string; details?: { issues: { path: string }[] } };
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function deployment(projectId: string, environment = "production") {
  const slug = uniqueSlug();
  const id = `${projectId}:${environment}:${slug}`;
  await env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(id, projectId, environment, slug, Date.now(), Date.now())
    .run();
  return { id, slug, environment };
}

/** Inserts an incident row whose state JSON agrees with its columns. */
async function incident(
  projectId: string,
  deploymentId: string,
  opts: { status: IncidentState["status"]; ruleId?: string; startedAt?: number },
) {
  const id = `inc_test_${Date.now().toString(36)}_${seq++}`;
  const started = opts.startedAt ?? Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
  const firing =
    opts.status === "firing" || opts.status === "resolved" ? started + 5 * MINUTE : null;
  const resolved = opts.status === "resolved" ? started + 20 * MINUTE : null;
  const state: IncidentState = {
    fingerprint: `fp_${id}`,
    status: opts.status,
    started_at: started,
    firing_at: firing,
    resolved_at: resolved,
    last_notified_at: firing,
    last_evaluated_minute: started + 25 * MINUTE,
    acked_at: null,
    silenced_until: null,
    last_value: 0.12,
  };
  const check = {
    rule_id: opts.ruleId ?? "default:error_rate",
    value: 0.12,
    message: "Error rate 12 %",
  };
  await env.DB.prepare(
    `INSERT INTO incidents (id, project_id, deployment_id, rule_id, fingerprint, status, severity, state,
       last_check, started_at, firing_at, resolved_at, acked_at, silenced_until, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'critical', ?, ?, ?, ?, ?, NULL, NULL, ?)`,
  )
    .bind(
      id,
      projectId,
      deploymentId,
      opts.ruleId ?? "default:error_rate",
      state.fingerprint,
      opts.status,
      JSON.stringify(state),
      JSON.stringify(check),
      started,
      firing,
      resolved,
      Date.now(),
    )
    .run();
  return { id, state };
}

async function row(id: string) {
  return env.DB.prepare(
    "SELECT status, acked_at, silenced_until, resolved_at, state FROM incidents WHERE id = ?",
  )
    .bind(id)
    .first<{
      status: string;
      acked_at: number | null;
      silenced_until: number | null;
      resolved_at: number | null;
      state: string;
    }>();
}

const post = (path: string, key: string, body?: unknown) =>
  call(path, { method: "POST", key, ...(body === undefined ? {} : { json: body }) });

describe("incidents API", () => {
  it("lists incidents newest first, never the inactive ones, with every filter", async () => {
    const p = await createProject();
    const prod = await deployment(p.id);
    const staging = await deployment(p.id, "staging");
    const now = Date.now();
    const a = await incident(p.id, prod.id, { status: "firing", startedAt: now - 10 * MINUTE });
    const b = await incident(p.id, prod.id, {
      status: "resolved",
      startedAt: now - 60 * MINUTE,
      ruleId: "default:traffic",
    });
    const c = await incident(p.id, staging.id, { status: "pending", startedAt: now - 5 * MINUTE });
    await incident(p.id, prod.id, {
      status: "inactive",
      startedAt: now - MINUTE,
      ruleId: "default:latency_ms_p95",
    });
    const ids = async (query: string) => {
      const res = await call(`/v1/incidents${query}`, { key: p.read });
      expect(res.status).toBe(200);
      return (await json<{ incidents: IncidentBody[] }>(res)).incidents.map((i) => i.id);
    };
    expect(await ids("")).toEqual([c.id, a.id, b.id]);
    expect(await ids("?status=firing")).toEqual([a.id]);
    expect(await ids("?status=pending,resolved")).toEqual([c.id, b.id]);
    expect(await ids(`?deployment=${prod.slug}`)).toEqual([a.id, b.id]);
    expect(await ids("?environment=staging")).toEqual([c.id]);
    expect(await ids("?rule=default:traffic")).toEqual([b.id]);
    expect(await ids(`?since=${now - 30 * MINUTE}`)).toEqual([c.id, a.id]);
    expect(await ids("?limit=1")).toEqual([c.id]);
    const other = await createProject();
    expect(await (await call("/v1/incidents", { key: other.read })).json()).toEqual({
      incidents: [],
    });
  });

  it("rejects bad filters with 400 naming the field", async () => {
    const p = await createProject();
    const inactive = await call("/v1/incidents?status=firing,inactive", { key: p.read });
    expect(inactive.status).toBe(400);
    expect((await json<ErrorBody>(inactive)).error.details?.issues[0]?.path).toMatch(/^status/);
    const limit = await call("/v1/incidents?limit=500", { key: p.read });
    expect((await json<ErrorBody>(limit)).error.details?.issues.map((i) => i.path)).toEqual([
      "limit",
    ]);
    const silence = await post("/v1/incidents/inc_x/silence", p.admin, {
      duration_minutes: 20_000,
    });
    expect(silence.status).toBe(400);
    expect((await json<ErrorBody>(silence)).error.details?.issues.map((i) => i.path)).toEqual([
      "duration_minutes",
    ]);
    const past = await post("/v1/incidents/inc_x/silence", p.admin, { until: Date.now() - 1 });
    expect((await json<ErrorBody>(past)).error.details?.issues.map((i) => i.path)).toEqual([
      "until",
    ]);
  });

  it("answers 401 without a key, 403 for a read key acting, and 404 for unknown or inactive ids", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const open = await incident(p.id, dep.id, { status: "firing" });
    const hidden = await incident(p.id, dep.id, { status: "inactive", ruleId: "default:traffic" });
    expect((await call("/v1/incidents")).status).toBe(401);
    expect((await post(`/v1/incidents/${open.id}/ack`, p.read)).status).toBe(403);
    expect((await post(`/v1/incidents/${open.id}/resolve`, p.read)).status).toBe(403);
    for (const path of [
      `/v1/incidents/${hidden.id}`,
      "/v1/incidents/inc_nope",
      "/v1/incidents/inc_nope/deliveries",
    ]) {
      const res = await call(path, { key: p.read });
      expect(res.status).toBe(404);
      expect((await json<ErrorBody>(res)).error.code).toBe("not_found");
    }
    expect((await post("/v1/incidents/inc_nope/ack", p.admin)).status).toBe(404);
    const other = await createProject();
    expect((await call(`/v1/incidents/${open.id}`, { key: other.read })).status).toBe(404);
  });

  it("gets one incident with its last check and state", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const res = await call(`/v1/incidents/${inc.id}`, { key: p.read });
    expect(res.status).toBe(200);
    const { incident: body } = await json<{ incident: IncidentBody }>(res);
    expect(body).toMatchObject({
      id: inc.id,
      status: "firing",
      deployment: { environment: "production", slug: dep.slug },
      last_check: { message: "Error rate 12 %" },
      state: { status: "firing", fingerprint: inc.state.fingerprint },
    });
  });

  it("acks in the column and the state, after which the machine sends no repeat but still the resolve", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const res = await post(`/v1/incidents/${inc.id}/ack`, p.admin);
    expect(res.status).toBe(200);
    const stored = await row(inc.id);
    const state = JSON.parse(stored?.state ?? "{}") as IncidentState;
    expect(stored?.acked_at).toBeGreaterThan(0);
    expect(state.acked_at).toBe(stored?.acked_at);
    const base = {
      deployment_id: dep.id,
      rule_id: "default:error_rate",
      for_minutes: 5,
      no_data: "ignore" as const,
    };
    const later = state.last_evaluated_minute + 5 * 60 * MINUTE;
    expect(
      stepIncident({ ...base, previous: state, outcome: "breach", minute: later }).notification,
    ).toBeNull();
    expect(
      stepIncident({ ...base, previous: state, outcome: "ok", minute: later }).notification,
    ).toEqual({ kind: "resolved" });
    // Acking twice keeps the first time.
    const again = await json<{ incident: IncidentBody }>(
      await post(`/v1/incidents/${inc.id}/ack`, p.admin),
    );
    expect(again.incident.acked_at).toBe(stored?.acked_at);
  });

  it("silences for a duration or until a time, in the column and the state, and the silence expires by time", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const before = Date.now();
    const res = await post(`/v1/incidents/${inc.id}/silence`, p.admin, { duration_minutes: 60 });
    expect(res.status).toBe(200);
    const body = (await json<{ incident: IncidentBody }>(res)).incident;
    expect(body.silenced).toBe(true);
    expect(body.silenced_until).toBeGreaterThanOrEqual(before + 60 * MINUTE);
    expect(body.state.silenced_until).toBe(body.silenced_until);
    const until = Date.now() + 2 * 60 * MINUTE;
    const res2 = await post(`/v1/incidents/${inc.id}/silence`, p.admin, { until });
    const stored = await row(inc.id);
    expect(res2.status).toBe(200);
    expect(stored?.silenced_until).toBe(until);
    const state = JSON.parse(stored?.state ?? "{}") as IncidentState;
    const base = {
      deployment_id: dep.id,
      rule_id: "default:error_rate",
      for_minutes: 5,
      no_data: "ignore" as const,
    };
    const step = (minute: number) =>
      stepIncident({
        ...base,
        previous: { ...state, last_notified_at: null },
        outcome: "breach",
        minute,
      });
    expect(step(until - 5 * MINUTE).notification).toBeNull();
    expect(step(until + MINUTE).notification).toEqual({ kind: "firing" });
  });

  it("resolves manually, and the next breach opens a new episode", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const res = await post(`/v1/incidents/${inc.id}/resolve`, p.admin);
    expect(res.status).toBe(200);
    const stored = await row(inc.id);
    const state = JSON.parse(stored?.state ?? "{}") as IncidentState;
    expect(stored).toMatchObject({ status: "resolved" });
    expect(stored?.resolved_at).toBeGreaterThan(0);
    expect(state).toMatchObject({ status: "resolved", resolved_at: stored?.resolved_at });
    const next = stepIncident({
      previous: state,
      deployment_id: dep.id,
      rule_id: "default:error_rate",
      outcome: "breach",
      minute: Date.now() + MINUTE,
      for_minutes: 5,
      no_data: "ignore",
    });
    expect(next.transition).toEqual({ from: "resolved", to: "pending" });
    expect((await post(`/v1/incidents/${inc.id}/resolve`, p.admin)).status).toBe(409);
    expect((await post(`/v1/incidents/${inc.id}/ack`, p.admin)).status).toBe(409);
    const audit = await env.DB.prepare(
      "SELECT action, before, after FROM audit_log WHERE project_id = ? ORDER BY id",
    )
      .bind(p.id)
      .all<{ action: string; before: string; after: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["incident.resolve"]);
    expect(JSON.parse(audit.results[0]?.after ?? "{}")).toMatchObject({ status: "resolved" });
  });

  it("lists the deliveries that carried an incident, with status, attempts and payload", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const other = await incident(p.id, dep.id, { status: "firing", ruleId: "default:traffic" });
    const insert = (id: string, incidentIds: string[], createdAt: number, status: string) =>
      env.DB.prepare(
        `INSERT INTO deliveries (id, project_id, channel_id, incident_ids, status, attempts, last_status_code,
           last_error, payload, created_at, updated_at) VALUES (?, ?, 'ch_1', ?, ?, 2, 500, 'HTTP 500', ?, ?, ?)`,
      )
        .bind(
          id,
          p.id,
          JSON.stringify(incidentIds),
          status,
          JSON.stringify({ text: id }),
          createdAt,
          createdAt + 1,
        )
        .run();
    const t = Date.now();
    await insert(`dlv_a_${inc.id}`, [inc.id], t - 2000, "delivered");
    await insert(`dlv_b_${inc.id}`, [other.id, inc.id], t - 1000, "retrying");
    await insert(`dlv_c_${inc.id}`, [other.id], t, "delivered");
    const res = await call(`/v1/incidents/${inc.id}/deliveries`, { key: p.read });
    expect(res.status).toBe(200);
    const { deliveries } = await json<{ deliveries: Record<string, unknown>[] }>(res);
    expect(deliveries.map((d) => d.id)).toEqual([`dlv_b_${inc.id}`, `dlv_a_${inc.id}`]);
    expect(deliveries[0]).toMatchObject({
      channel_id: "ch_1",
      status: "retrying",
      attempts: 2,
      last_status_code: 500,
      last_error: "HTTP 500",
      created_at: t - 1000,
      updated_at: t - 999,
      payload: { text: `dlv_b_${inc.id}` },
    });
  });

  it("lets the root token read a project's incidents with ?project=", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const res = await call(`/v1/incidents?project=${p.id}`, { key: ADMIN });
    expect((await json<{ incidents: IncidentBody[] }>(res)).incidents.map((i) => i.id)).toEqual([
      inc.id,
    ]);
    expect((await post(`/v1/incidents/${inc.id}/ack?project=${p.id}`, ADMIN)).status).toBe(200);
  });
});
