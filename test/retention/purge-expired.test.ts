// Retention: rows on both sides of every boundary, and one exactly at it, then exactly
// what remains after a purge. The purge is global, so each test owns its projects.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { syntheticMonitorOf } from "../../src/monitor/monitor-id";
import { purgeExpired } from "../../src/retention/purge-expired";
import { DAY_MS, HOUR_MS } from "../../src/shared/time";
import { ADMIN, call } from "../helpers";

const NOW = Date.UTC(2026, 5, 1, 12, 0);
let seq = 0;

/** Just past, exactly at, and just inside the boundary `cutoff` (a time). */
const around = (cutoff: number) =>
  ({ older: cutoff - 1, at: cutoff, newer: cutoff + 1 }) as Record<string, number>;
const KEPT = ["at", "newer"];

async function project(retentionDays: number, rollupDays = 400) {
  const id = `prj_ret${seq++}`;
  const deployment = `${id}:production:bot`;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO projects (id, name, retention_days, rollup_retention_days, created_at)
       VALUES (?, 'r', ?, ?, 0)`,
    ).bind(id, retentionDays, rollupDays),
    env.DB.prepare(
      `INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen)
       VALUES (?, ?, 'production', 'bot', 0, 0)`,
    ).bind(deployment, id),
  ]);
  return { id, deployment };
}

async function labels(sql: string, ...params: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(sql)
    .bind(...params)
    .all<{ label: string }>();
  return results.map((r) => r.label).sort();
}

describe("purgeExpired", () => {
  it("keeps raw events for exactly the project's retention_days, and events under an open claim", async () => {
    const short = await project(7);
    const long = await project(30);
    const insert = env.DB.prepare(
      `INSERT INTO events (project_id, id, deployment_id, type, ts, received_at, data, claim)
       VALUES (?, ?, ?, 'interaction', 0, ?, '{}', ?)`,
    );
    const rows = [];
    for (const p of [short, long]) {
      const days = p === short ? 7 : 30;
      for (const [label, at] of Object.entries(around(NOW - days * DAY_MS))) {
        rows.push(insert.bind(p.id, label, p.deployment, at, 0));
      }
    }
    // Expired, but its claim is still open: the stale-claim sweeper needs it.
    const token = NOW * 1000 + 7;
    rows.push(
      env.DB.prepare("INSERT INTO claims (token, created_at) VALUES (?, ?)").bind(token, NOW),
      insert.bind(short.id, "claimed", short.deployment, NOW - 100 * DAY_MS, token),
    );
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    const q = "SELECT id AS label FROM events WHERE project_id = ?";
    expect(await labels(q, short.id)).toEqual(["at", "claimed", "newer"]);
    expect(await labels(q, long.id)).toEqual(KEPT);
  });

  it("keeps 1-minute rollups 48 hours and 1-hour rollups the project's rollup_retention_days", async () => {
    const p90 = await project(30, 90);
    const p400 = await project(30, 400);
    const insert = env.DB.prepare(
      `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count,
         feedback_up, feedback_down, cost_usd, summary, updated_at)
       VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?, 0)`,
    );
    const rows = [];
    for (const [p, days] of [
      [p90, 90],
      [p400, 400],
    ] as const) {
      for (const [label, at] of Object.entries(around(NOW - 48 * HOUR_MS))) {
        rows.push(insert.bind(p.deployment, "1m", at, `1m-${label}`));
      }
      for (const [label, at] of Object.entries(around(NOW - days * DAY_MS))) {
        rows.push(insert.bind(p.deployment, "1h", at, `1h-${label}`));
      }
    }
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    const q = "SELECT summary AS label FROM rollups WHERE deployment_id = ?";
    const expected = ["1h-at", "1h-newer", "1m-at", "1m-newer"];
    expect(await labels(q, p90.deployment)).toEqual(expected);
    expect(await labels(q, p400.deployment)).toEqual(expected);
  });

  it("expires the probe runs' rollups (the deployment's synthetic sibling) with its project's retention", async () => {
    const p90 = await project(30, 90);
    const p400 = await project(30, 400);
    const insert = env.DB.prepare(
      `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count,
         feedback_up, feedback_down, cost_usd, summary, updated_at)
       VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?, 0)`,
    );
    const rows = [];
    for (const [p, days] of [
      [p90, 90],
      [p400, 400],
    ] as const) {
      const sibling = syntheticMonitorOf(p.deployment);
      for (const [label, at] of Object.entries(around(NOW - 48 * HOUR_MS)))
        rows.push(insert.bind(sibling, "1m", at, `1m-${label}`));
      for (const [label, at] of Object.entries(around(NOW - days * DAY_MS)))
        rows.push(insert.bind(sibling, "1h", at, `1h-${label}`));
    }
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    const q = "SELECT summary AS label FROM rollups WHERE deployment_id = ?";
    const expected = ["1h-at", "1h-newer", "1m-at", "1m-newer"];
    expect(await labels(q, syntheticMonitorOf(p90.deployment))).toEqual(expected);
    expect(await labels(q, syntheticMonitorOf(p400.deployment))).toEqual(expected);
  });

  it("keeps release markers the project's rollup_retention_days after their last event", async () => {
    const p90 = await project(30, 90);
    const p400 = await project(30, 400);
    const insert = env.DB.prepare(
      `INSERT INTO releases (deployment_id, release, first_seen, last_seen, event_count)
       VALUES (?, ?, 0, ?, 1)`,
    );
    const rows = [];
    for (const [p, days] of [
      [p90, 90],
      [p400, 400],
    ] as const) {
      for (const [label, at] of Object.entries(around(NOW - days * DAY_MS))) {
        rows.push(insert.bind(p.deployment, label, at));
      }
    }
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    const q = "SELECT release AS label FROM releases WHERE deployment_id = ?";
    expect(await labels(q, p90.deployment)).toEqual(KEPT);
    expect(await labels(q, p400.deployment)).toEqual(KEPT);
  });

  it("keeps decided release verdicts the project's rollup_retention_days, pending ones always", async () => {
    const p90 = await project(30, 90);
    const insert = env.DB.prepare(
      `INSERT INTO release_verdicts (id, deployment_id, candidate_key, candidate, state, started_at, decided_at, updated_at, signals)
       VALUES (?, ?, ?, '{}', ?, 0, ?, 0, '[]')`,
    );
    const rows = Object.entries(around(NOW - 90 * DAY_MS)).map(([label, at]) =>
      insert.bind(`${p90.id}-${label}`, p90.deployment, label, "fail", at),
    );
    rows.push(insert.bind(`${p90.id}-pending`, p90.deployment, "pending", "pending", null));
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    const q = "SELECT candidate_key AS label FROM release_verdicts WHERE deployment_id = ?";
    expect(await labels(q, p90.deployment)).toEqual([...KEPT, "pending"]);
  });

  it("keeps check results 35 days and audit entries 400 days", async () => {
    const p = await project(30);
    const rows = [];
    for (const [label, at] of Object.entries(around(NOW - 35 * DAY_MS))) {
      rows.push(
        env.DB.prepare(
          `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, message)
           VALUES (?, 'r', ?, 'ok', ?)`,
        ).bind(p.deployment, at, label),
      );
    }
    for (const [label, at] of Object.entries(around(NOW - 400 * DAY_MS))) {
      rows.push(
        env.DB.prepare(
          `INSERT INTO audit_log (project_id, actor, action, target, at) VALUES (?, 'root', ?, 't', ?)`,
        ).bind(p.id, label, at),
      );
    }
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    expect(
      await labels(
        "SELECT message AS label FROM check_results WHERE deployment_id = ?",
        p.deployment,
      ),
    ).toEqual(KEPT);
    expect(
      await labels("SELECT action AS label FROM audit_log WHERE project_id = ?", p.id),
    ).toEqual(KEPT);
  });

  it("keeps finished deliveries and resolved incidents for the project's retention, open ones always", async () => {
    const p = await project(10);
    const cutoff = NOW - 10 * DAY_MS;
    const rows = [];
    const delivery = env.DB.prepare(
      `INSERT INTO deliveries (id, project_id, channel_id, incident_ids, status, payload, created_at, updated_at)
       VALUES (?, ?, 'ch', '[]', ?, '{}', ?, 0)`,
    );
    const incident = env.DB.prepare(
      `INSERT INTO incidents (id, project_id, deployment_id, rule_id, fingerprint, status, severity,
         state, started_at, resolved_at, updated_at)
       VALUES (?, ?, ?, 'r', ?, ?, 'warning', '{}', 0, ?, 0)`,
    );
    for (const [label, at] of Object.entries(around(cutoff))) {
      for (const status of ["delivered", "failed", "dead_letter"]) {
        rows.push(delivery.bind(`${p.id}-${status}-${label}`, p.id, status, at));
      }
      rows.push(
        incident.bind(`${p.id}-resolved-${label}`, p.id, p.deployment, `f${label}`, "resolved", at),
      );
    }
    rows.push(delivery.bind(`${p.id}-retrying-old`, p.id, "retrying", cutoff - DAY_MS));
    rows.push(
      incident.bind(`${p.id}-firing-old`, p.id, p.deployment, `${p.id}-open`, "firing", null),
    );
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    const deliveries = await labels(
      "SELECT id AS label FROM deliveries WHERE project_id = ?",
      p.id,
    );
    expect(deliveries).toEqual(
      [
        ...["delivered", "failed", "dead_letter"].flatMap((s) => KEPT.map((k) => `${s}-${k}`)),
        "retrying-old",
      ]
        .map((s) => `${p.id}-${s}`)
        .sort(),
    );
    const incidents = await labels("SELECT id AS label FROM incidents WHERE project_id = ?", p.id);
    expect(incidents).toEqual(
      ["firing-old", "resolved-at", "resolved-newer"].map((s) => `${p.id}-${s}`).sort(),
    );
  });

  it("keeps dead letters for their project's retention, 30 days when the project is unknown", async () => {
    const p = await project(5);
    const insert = env.DB.prepare(
      `INSERT INTO dead_letters (queue, message_id, attempts, event_count, body, reason, received_at)
       VALUES ('q', ?, 1, 0, ?, 'r', ?)`,
    );
    const rows = [];
    for (const [label, at] of Object.entries(around(NOW - 5 * DAY_MS))) {
      rows.push(insert.bind(`${p.id}-known-${label}`, JSON.stringify({ projectId: p.id }), at));
    }
    for (const [label, at] of Object.entries(around(NOW - 30 * DAY_MS))) {
      rows.push(insert.bind(`${p.id}-garbled-${label}`, "not json {", at));
    }
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    expect(
      await labels(
        "SELECT message_id AS label FROM dead_letters WHERE message_id LIKE ?",
        `${p.id}-%`,
      ),
    ).toEqual(
      ["known-at", "known-newer", "garbled-at", "garbled-newer"].map((s) => `${p.id}-${s}`).sort(),
    );
  });

  it("keeps a deletion tombstone 14 days after the deletion completed, and open ones always", async () => {
    const p = await project(30);
    const insert = env.DB.prepare(
      `INSERT INTO deletions (id, kind, project_id, actor, requested_at, completed_at)
       VALUES (?, 'project', ?, 'root', 0, ?)`,
    );
    const rows = Object.entries(around(NOW - 14 * DAY_MS)).map(([label, at]) =>
      insert.bind(`${p.id}-${label}`, p.id, at),
    );
    rows.push(insert.bind(`${p.id}-open`, p.id, null));
    await env.DB.batch(rows);

    await purgeExpired(env.DB, NOW);

    expect(await labels("SELECT id AS label FROM deletions WHERE project_id = ?", p.id)).toEqual(
      ["at", "newer", "open"].map((s) => `${p.id}-${s}`).sort(),
    );
  });

  it("deletes dashboard sessions once expired", async () => {
    const p = await project(30);
    const insert = env.DB.prepare(
      `INSERT INTO dashboard_sessions (hash, project_id, key_id, scopes, csrf, created_at, expires_at)
       VALUES (?, ?, 'key', '["read"]', 'c', 0, ?)`,
    );
    await env.DB.batch(
      Object.entries(around(NOW)).map(([label, at]) => insert.bind(`${p.id}-${label}`, p.id, at)),
    );

    await purgeExpired(env.DB, NOW);

    expect(
      await labels("SELECT hash AS label FROM dashboard_sessions WHERE project_id = ?", p.id),
    ).toEqual(KEPT.map((s) => `${p.id}-${s}`));
  });

  it("deletes in batches of the given size and stops starting batches once the budget is spent", async () => {
    const p = await project(1);
    const insert = env.DB.prepare(
      `INSERT INTO events (project_id, id, deployment_id, type, ts, received_at, data)
       VALUES (?, ?, ?, 'interaction', 0, ?, '{}')`,
    );
    await env.DB.batch(
      Array.from({ length: 5 }, (_, i) =>
        insert.bind(p.id, `e${i}`, p.deployment, NOW - 2 * DAY_MS),
      ),
    );
    const remaining = async () =>
      (await labels("SELECT id AS label FROM events WHERE project_id = ?", p.id)).length;

    const none = await purgeExpired(env.DB, NOW, { batch: 2, budgetMs: 0 });
    expect(none).toMatchObject({ statements: 0, complete: false });
    expect(await remaining()).toBe(5);

    const all = await purgeExpired(env.DB, NOW, { batch: 2 });
    expect(all.complete).toBe(true);
    // 5 rows in batches of 2: three statements for this project's events alone.
    expect(all.deleted.events).toBe(5);
    expect(all.statements).toBeGreaterThanOrEqual(3);
    expect(await remaining()).toBe(0);
  });
});

describe("project retention settings", () => {
  it("answers 400 naming rollup_retention_days when it is below the 90 days the status page draws", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      key: ADMIN,
      json: { name: "short", rollup_retention_days: 30 },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { issues: { path: string }[] } } };
    expect(body.error.details.issues.map((i) => i.path)).toEqual(["rollup_retention_days"]);
  });

  it("stores rollup_retention_days, 400 by default", async () => {
    const create = async (json: object) => {
      const res = await call("/v1/projects", { method: "POST", key: ADMIN, json });
      return ((await res.json()) as { project: { rollup_retention_days: number } }).project;
    };
    expect((await create({ name: "d" })).rollup_retention_days).toBe(400);
    expect((await create({ name: "y", rollup_retention_days: 730 })).rollup_retention_days).toBe(
      730,
    );
  });
});
