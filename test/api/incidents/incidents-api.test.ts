// Incidents API: filters, get, ack/silence/resolve writing both the columns and the
// incident-machine state (and what the machine then does), and the delivery log.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  acknowledgeIncident,
  silenceIncident,
} from "../../../src/alerts/incidents/incident-actions";
import { type IncidentState, stepIncident } from "../../../src/alerts/incidents/incident-machine";
import { client, expectStatus, issuePath } from "../../client";
import { ADMIN, call, createProject, uniqueSlug } from "../../helpers";

const MINUTE = 60_000;
let seq = 0;

const incidentsOf = (key: string) => client(key).v1.incidents;
const one = (key: string) => incidentsOf(key)[":id"];
const query = (projectId?: string) => (projectId === undefined ? {} : { project: projectId });
const ack = (key: string, id: string, project?: string) =>
  one(key).ack.$post({ param: { id }, query: query(project) });
const resolve = (key: string, id: string) => one(key).resolve.$post({ param: { id }, query: {} });
const silence = (key: string, id: string, json: { duration_minutes?: number; until?: number }) =>
  one(key).silence.$post({ param: { id }, query: {}, json });

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
  opts: {
    status: IncidentState["status"];
    ruleId?: string;
    startedAt?: number;
    /** More fields of the last check (effect_size, affected...). */
    check?: Record<string, unknown>;
  },
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
    ...opts.check,
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
    const ids = async (q: Record<string, string>) => {
      const body = await expectStatus(await incidentsOf(p.read).$get({ query: q }), 200);
      return body.incidents.map((i) => i.id);
    };
    expect(await ids({})).toEqual([c.id, a.id, b.id]);
    expect(await ids({ status: "firing" })).toEqual([a.id]);
    expect(await ids({ status: "pending,resolved" })).toEqual([c.id, b.id]);
    expect(await ids({ deployment: prod.slug })).toEqual([a.id, b.id]);
    expect(await ids({ environment: "staging" })).toEqual([c.id]);
    expect(await ids({ rule: "default:traffic" })).toEqual([b.id]);
    expect(await ids({ since: String(now - 30 * MINUTE) })).toEqual([c.id, a.id]);
    expect(await ids({ limit: "1" })).toEqual([c.id]);
    const other = await createProject();
    expect(await expectStatus(await incidentsOf(other.read).$get({ query: {} }), 200)).toEqual({
      incidents: [],
    });
  });

  it("rejects bad filters with 400 naming the field", async () => {
    const p = await createProject();
    const list = (q: Record<string, string>) => incidentsOf(p.read).$get({ query: q });
    const inactive = await list({ status: "firing,inactive" });
    expect(issuePath(await expectStatus(inactive, 400))).toMatch(/^status/);
    expect(issuePath(await expectStatus(await list({ limit: "500" }), 400))).toBe("limit");
    const long = await silence(p.admin, "inc_x", { duration_minutes: 20_000 });
    expect(issuePath(await expectStatus(long, 400))).toBe("duration_minutes");
    const past = await silence(p.admin, "inc_x", { until: Date.now() - 1 });
    expect(issuePath(await expectStatus(past, 400))).toBe("until");
    const both = await silence(p.admin, "inc_x", {
      duration_minutes: 5,
      until: Date.now() + MINUTE,
    });
    expect(issuePath(await expectStatus(both, 400))).toBe("duration_minutes");
    // Path parameters are validated too.
    const badId = await call("/v1/incidents/inc%20x", { key: p.read });
    expect(issuePath(await expectStatus(badId, 400))).toBe("id");
  });

  it("answers 401 without a key, 403 for a read key acting, and 404 for unknown or inactive ids", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const open = await incident(p.id, dep.id, { status: "firing" });
    const hidden = await incident(p.id, dep.id, { status: "inactive", ruleId: "default:traffic" });
    expect((await client().v1.incidents.$get({ query: {} })).status).toBe(401);
    expect((await ack(p.read, open.id)).status).toBe(403);
    expect((await resolve(p.read, open.id)).status).toBe(403);
    const get = (key: string, id: string) => one(key).$get({ param: { id }, query: {} });
    for (const res of [
      await get(p.read, hidden.id),
      await get(p.read, "inc_nope"),
      await one(p.read).deliveries.$get({ param: { id: "inc_nope" }, query: {} }),
    ]) {
      const body = (await expectStatus(res, 404)) as { error: { code: string } };
      expect(body.error.code).toBe("not_found");
    }
    expect((await ack(p.admin, "inc_nope")).status).toBe(404);
    const other = await createProject();
    expect((await get(other.read, open.id)).status).toBe(404);
  });

  it("gets one incident with its last check and state", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const res = await one(p.read).$get({ param: { id: inc.id }, query: {} });
    const { incident: body } = await expectStatus(res, 200);
    expect(body).toMatchObject({
      id: inc.id,
      status: "firing",
      deployment: { environment: "production", slug: dep.slug },
      last_check: { message: "Error rate 12 %" },
      state: { status: "firing", fingerprint: inc.state.fingerprint },
    });
  });

  it("says how big the change is, how much traffic it reaches and where, from the last check", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const effect_size = {
      kind: "difference",
      of: "error rate",
      estimate: 0.11,
      lower: 0.094,
      upper: 0.127,
      level: 0.95,
      method: "newcombe_hybrid_score",
      text: "+11.0 points (95 % CI 9.4 to 12.7)",
    };
    const affected = { interactions: 1500, share_of_traffic: 1, users: null };
    const segment = {
      dimension: "tags.locale",
      value: "ja",
      name: "locale=ja",
      observed: 62,
      expected: 10,
      excess: 52,
      share_of_excess: 0.72,
      trials: 200,
      share_of_traffic: 0.1,
      rate: 0.31,
      baseline_rate: 0.05,
      p_value: 1e-12,
    };
    const attribution = { everywhere: false, looked_at: 12, segments: [segment], text: "72 % …" };
    const inc = await incident(p.id, dep.id, {
      status: "firing",
      check: { effect_size, affected, attribution },
    });
    const res = await one(p.read).$get({ param: { id: inc.id }, query: {} });
    const { incident: body } = await expectStatus(res, 200);
    expect(body.effect).toEqual(effect_size);
    expect(body.affected).toEqual(affected);
    expect(body.segments).toEqual([segment]);
    expect(body.everywhere).toBe(false);
    // An incident whose last check predates effect sizes says null, not an error.
    const old = await incident(p.id, dep.id, { status: "firing", ruleId: "default:timeout_rate" });
    const before = await expectStatus(
      await one(p.read).$get({ param: { id: old.id }, query: {} }),
      200,
    );
    expect(before.incident.effect).toBeNull();
    expect(before.incident.affected).toBeNull();
    expect(before.incident.segments).toEqual([]);
    expect(before.incident.everywhere).toBeNull();
  });

  it("answers a traffic drop's segments, measured in requests", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const segment = {
      dimension: "model",
      value: "model-x",
      name: "model=model-x",
      observed: 0,
      expected: 180,
      excess: -180,
      share_of_excess: 1,
      trials: 0,
      share_of_traffic: 0,
      rate: 0,
      baseline_rate: 36,
      p_value: 1e-9,
      measure: "requests",
    };
    const attribution = { everywhere: false, looked_at: 4, segments: [segment], text: "100 % …" };
    const inc = await incident(p.id, dep.id, {
      status: "firing",
      ruleId: "default:traffic",
      check: { attribution },
    });
    const res = await one(p.read).$get({ param: { id: inc.id }, query: {} });
    const { incident: body } = await expectStatus(res, 200);
    expect(body.segments).toEqual([segment]);
    expect(body.everywhere).toBe(false);
  });

  it("acks in the column and the state, after which the machine sends no repeat but still the resolve", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    await expectStatus(await ack(p.admin, inc.id), 200);
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
    const again = await expectStatus(await ack(p.admin, inc.id), 200);
    expect(again.incident.acked_at).toBe(stored?.acked_at);
  });

  it("silences for a duration or until a time, in the column and the state, and the silence expires by time", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    const before = Date.now();
    const res = await silence(p.admin, inc.id, { duration_minutes: 60 });
    const body = (await expectStatus(res, 200)).incident;
    expect(body.silenced).toBe(true);
    expect(body.silenced_until).toBeGreaterThanOrEqual(before + 60 * MINUTE);
    expect(body.state.silenced_until).toBe(body.silenced_until);
    const until = Date.now() + 2 * 60 * MINUTE;
    await expectStatus(await silence(p.admin, inc.id, { until }), 200);
    const stored = await row(inc.id);
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
    await expectStatus(await resolve(p.admin, inc.id), 200);
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
    expect((await resolve(p.admin, inc.id)).status).toBe(409);
    expect((await ack(p.admin, inc.id)).status).toBe(409);
    const audit = await env.DB.prepare(
      "SELECT action, before, after FROM audit_log WHERE project_id = ? AND action LIKE 'incident.%' ORDER BY id",
    )
      .bind(p.id)
      .all<{ action: string; before: string; after: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["incident.resolve"]);
    expect(JSON.parse(audit.results[0]?.after ?? "{}")).toMatchObject({ status: "resolved" });
  });

  it("audits each change in the same batch, and neither changes nor audits when a tick wrote the row meanwhile", async () => {
    const p = await createProject();
    const dep = await deployment(p.id);
    const inc = await incident(p.id, dep.id, { status: "firing" });
    // The caller as the API's routes name it.
    const who = { actor: "key:key_race", actorName: "race-bot", requestId: "req-race" };
    // The evaluator's tick lands between the read and the write: it rewrites the row first.
    const racing = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "batch") {
          return async (statements: D1PreparedStatement[]) => {
            await target
              .prepare("UPDATE incidents SET updated_at = updated_at + 1 WHERE id = ?")
              .bind(inc.id)
              .run();
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const raced = { db: racing, who, projectId: p.id };
    await expect(acknowledgeIncident(raced, inc.id)).rejects.toMatchObject({ code: "conflict" });
    await expect(silenceIncident(raced, inc.id, Date.now() + MINUTE)).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await row(inc.id)).toMatchObject({ acked_at: null, silenced_until: null });
    const entries = async () =>
      (
        await env.DB.prepare(
          "SELECT actor, actor_name, action, target, before, after, request_id FROM audit_log WHERE project_id = ? AND action LIKE 'incident.%' ORDER BY id",
        )
          .bind(p.id)
          .all<{
            actor: string;
            actor_name: string;
            action: string;
            target: string;
            before: string;
            after: string;
            request_id: string;
          }>()
      ).results;
    expect(await entries()).toEqual([]);
    // Without the race, the change and its entry are written together.
    const { row: acked } = await acknowledgeIncident({ db: env.DB, who, projectId: p.id }, inc.id);
    const [entry] = await entries();
    expect(entry).toMatchObject({
      actor: "key:key_race",
      actor_name: "race-bot",
      action: "incident.ack",
      target: inc.id,
      request_id: "req-race",
    });
    expect(JSON.parse(entry?.before ?? "")).toEqual({
      status: "firing",
      acked_at: null,
      silenced_until: null,
      resolved_at: null,
    });
    expect(JSON.parse(entry?.after ?? "")).toMatchObject({ acked_at: acked.ackedAt });
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
    const res = await one(p.read).deliveries.$get({ param: { id: inc.id }, query: {} });
    const { deliveries } = await expectStatus(res, 200);
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
    const res = await incidentsOf(ADMIN).$get({ query: { project: p.id } });
    expect((await expectStatus(res, 200)).incidents.map((i) => i.id)).toEqual([inc.id]);
    expect((await ack(ADMIN, inc.id, p.id)).status).toBe(200);
    // Without ?project= the root token has no project to act on.
    expect((await ack(ADMIN, inc.id)).status).toBe(400);
  });
});
