// Deleting projects and deployments: the routes, the events dropped meanwhile, and,
// once the background job is done, nothing of the target left in any D1 table or in
// its Durable Objects, while another project and a sibling deployment are untouched.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type DeploymentRef, deploymentPrefix, projectPrefix } from "../../src/archive/layout";
import {
  archivePrefix,
  DELETION_AUDIT_ACTIONS,
  deletionSteps,
  STORES_DELETED,
  TABLES_REMOVED_LAST,
  TABLES_WITHOUT_PROJECT_DATA,
} from "../../src/deletion/plan";
import { IN_FLIGHT_GRACE_MS, runDeletions } from "../../src/deletion/run";
import worker from "../../src/index";
import { packMessages } from "../../src/queue/enqueue";
import { archived, keysUnder, putArchive } from "../archive/fixture";
import { client, expectStatus, issuePath } from "../client";
import {
  ADMIN,
  call,
  createProject,
  storedEventCount,
  type TestProject,
  uniqueSlug,
} from "../helpers";
import { interaction } from "../sample-events";

const QUEUE = "driftwatch-telemetry-dev";

async function deliver(projectId: string, slug: string, n: number, receivedAt = Date.now()) {
  const events = Array.from({ length: n }, (_, i) =>
    interaction({
      id: `${slug}-${receivedAt}-${i}`,
      deployment: slug,
      ts: Date.now() - i * 1000,
      latency_ms: 100 + i,
    }),
  );
  const [body] = packMessages(projectId, receivedAt, events);
  const batch = createMessageBatch(QUEUE, [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.explicitAcks.length).toBe(1);
}

/** Every table and text column of the D1 database (user tables only). */
async function textColumns(): Promise<Map<string, string[]>> {
  const { results } = await env.DB.prepare(
    `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%'
       AND m.name != 'd1_migrations'`,
  ).all<{ tbl: string; col: string }>();
  const out = new Map<string, string[]>();
  for (const r of results) out.set(r.tbl, [...(out.get(r.tbl) ?? []), r.col]);
  return out;
}

/** Rows per table in which any column holds `needle`, outside the given exceptions. */
async function rowsMentioning(needle: string, except: Record<string, string> = {}) {
  const counts: Record<string, number> = {};
  for (const [table, cols] of await textColumns()) {
    // NOTE: instr, not LIKE: D1 caps LIKE patterns at 50 bytes.
    const any = cols.map((c) => `instr(CAST("${c}" AS TEXT), ?1) > 0`).join(" OR ");
    const row = await env.DB.prepare(
      `SELECT count(*) AS n FROM "${table}" WHERE (${any}) ${except[table] ?? ""}`,
    )
      .bind(needle)
      .first<{ n: number }>();
    if (row && row.n > 0) counts[table] = row.n;
  }
  return counts;
}

/** Data of every kind for one deployment: events through the consumer, the rest inserted. */
async function seed(p: TestProject, slug: string) {
  await deliver(p.id, slug, 20);
  const dep = `${p.id}:production:${slug}`;
  const now = Date.now();
  // Archived events in two hours (R2).
  const ref: DeploymentRef = { projectId: p.id, environment: "production", slug };
  await putArchive(ref, [archived(ref, now - 3_600_000), archived(ref, now - 3_599_000)], 1);
  await putArchive(ref, [archived(ref, now)], 3);
  const incident = `inc_${dep}`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO archive_expiry (deployment_id, expired_to) VALUES (?, 0)").bind(
      dep,
    ),
    env.DB.prepare(
      `INSERT INTO incidents (id, project_id, deployment_id, rule_id, fingerprint, status, severity, state, started_at, updated_at)
       VALUES (?, ?, ?, 'error_rate', ?, 'firing', 'critical', '{}', ?, ?)`,
    ).bind(incident, p.id, dep, `fp-${dep}`, now, now),
    env.DB.prepare(
      `INSERT INTO deliveries (id, project_id, channel_id, incident_ids, status, payload, created_at, updated_at)
       VALUES (?, ?, 'ch', ?, 'delivered', '{}', ?, ?)`,
    ).bind(`dlv_${dep}`, p.id, JSON.stringify([incident]), now, now),
    env.DB.prepare(
      `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, message) VALUES (?, 'r', ?, 'ok', 'fine')`,
    ).bind(dep, now),
    env.DB.prepare(
      `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up, feedback_down, cost_usd, summary, updated_at)
       VALUES (?, '1m', ?, 1, 0, 0, 0, 0, '{}', ?)`,
    ).bind(dep, now, now),
    env.DB.prepare(
      `INSERT INTO baselines (id, deployment_id, kind, label, "from", "to", data, count, created_at)
       VALUES (?, ?, 'range', 'b', 0, 1, '', 0, ?)`,
    ).bind(`bl_${dep}`, dep, now),
    env.DB.prepare(
      `INSERT INTO dead_letters (queue, message_id, attempts, event_count, body, reason, received_at)
       VALUES ('q', ?, 5, 1, ?, 'r', ?)`,
    ).bind(
      `dl_${slug}`,
      JSON.stringify({ v: 1, projectId: p.id, events: [interaction({ deployment: slug })] }),
      now,
    ),
  ]);
  return dep;
}

/** Project-level configuration: a rule, a channel (audited), beside the keys. */
async function seedProject(p: TestProject) {
  const channel = await call("/v1/channels", {
    method: "POST",
    key: p.admin,
    json: { type: "webhook", name: "hook", url: "https://example.com/hook" },
  });
  expect(channel.status).toBe(201);
  await env.DB.prepare(
    `INSERT INTO rules (id, project_id, definition, created_at, updated_at) VALUES ('custom', ?, '{}', 0, 0)`,
  )
    .bind(p.id)
    .run();
}

/** Every key in the archive bucket that names `needle`. */
async function archiveKeysMentioning(needle: string): Promise<string[]> {
  return (await keysUnder("")).filter((k) => k.includes(needle));
}

/** The kind of storage a binding is, or null for one that stores nothing (queues, vars). */
function storeKind(binding: unknown): string | null {
  if (typeof binding !== "object" || binding === null) return null;
  const has = (...methods: string[]) =>
    methods.every((m) => typeof (binding as Record<string, unknown>)[m] === "function");
  // Service bindings are RPC proxies that answer every method name.
  if (has("noSuchMethodOnAnyStore")) return null;
  if (has("prepare", "batch", "exec")) return "D1";
  if (has("createMultipartUpload", "head", "list")) return "R2";
  if (has("idFromName", "get")) return "Durable Objects";
  if (has("getWithMetadata", "list")) return "KV";
  if (has("writeDataPoint")) return "Analytics Engine";
  if (has("upsert", "query")) return "Vectorize";
  return null;
}

/** Runs the job (as the tick would, past the in-flight grace) until `id` completes. */
async function finishDeletion(id: string) {
  for (let i = 0; i < 5; i++) {
    const report = await runDeletions(env, Date.now() + IN_FLIGHT_GRACE_MS + 1);
    if (report.completed.includes(id)) return i + 1;
  }
  throw new Error(`deletion ${id} did not complete`);
}

async function monitorRows(deploymentId: string) {
  return runInDurableObject(env.DEPLOYMENT_MONITOR.getByName(deploymentId), async (_, state) => {
    const count = (t: string) =>
      state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${t}`).one().n;
    return {
      buckets: count("buckets"),
      tokens: count("applied_tokens"),
      ledger: count("ledger_partitions"),
      outbox: count("archive_outbox"),
      releases: count("releases"),
      // Only the time of the deletion stays (events received before it are dropped).
      meta: state.storage.sql
        .exec<{ key: string }>("SELECT key FROM meta")
        .toArray()
        .map((r) => r.key),
      alarm: await state.storage.getAlarm(),
    };
  });
}

const EMPTIED = {
  buckets: 0,
  tokens: 0,
  ledger: 0,
  outbox: 0,
  releases: 0,
  meta: ["destroyed_at"],
  alarm: null,
};

describe("deletion plan", () => {
  it("covers every D1 table, or says why a table holds no project data", async () => {
    const planned = new Set([
      ...deletionSteps({ kind: "project", projectId: "p" }).map((s) => s.table),
      ...TABLES_REMOVED_LAST,
      ...Object.keys(TABLES_WITHOUT_PROJECT_DATA),
    ]);
    const missing = [...(await textColumns()).keys()].filter((t) => !planned.has(t));
    expect(missing).toEqual([]);
  });

  it("has a deletion rule for every binding that stores data (D1, Durable Objects, R2, …)", () => {
    const stores = Object.entries(env)
      .filter(([, binding]) => storeKind(binding) !== null)
      .map(([name]) => name);
    expect(stores).toEqual(expect.arrayContaining(["DB", "DEPLOYMENT_MONITOR", "ARCHIVE"]));
    expect(stores.filter((name) => !(name in STORES_DELETED))).toEqual([]);
  });

  it("names the archive prefix of a project or exactly one deployment, and refuses a malformed id", () => {
    expect(archivePrefix({ kind: "project", projectId: "prj_a" })).toBe(projectPrefix("prj_a"));
    expect(
      archivePrefix({ kind: "deployment", projectId: "prj_a", deploymentId: "prj_a:staging:bot" }),
    ).toBe(deploymentPrefix({ projectId: "prj_a", environment: "staging", slug: "bot" }));
    for (const deploymentId of ["prj_b:staging:bot", "prj_a:staging", "prj_a:staging:bot:x"]) {
      expect(() => archivePrefix({ kind: "deployment", projectId: "prj_a", deploymentId })).toThrow(
        /not a deployment id/,
      );
    }
  });
});

describe("DELETE /v1/projects/:id", () => {
  it("answers 401 without a key, 403 for a project admin key and 404 for an unknown project", async () => {
    const p = await createProject("guarded");
    expect((await call(`/v1/projects/${p.id}`, { method: "DELETE" })).status).toBe(401);
    expect((await call(`/v1/projects/${p.id}`, { method: "DELETE", key: p.admin })).status).toBe(
      403,
    );
    expect((await call("/v1/projects/prj_nope", { method: "DELETE", key: ADMIN })).status).toBe(
      404,
    );
  });

  it("removes every row of the project, empties its Durable Objects, and leaves another project alone", async () => {
    const doomed = await createProject("doomed");
    const other = await createProject("other");
    const slug = uniqueSlug();
    const deployments = [];
    for (const p of [doomed, other]) {
      await seedProject(p);
      deployments.push(await seed(p, slug), await seed(p, `${slug}-b`));
    }
    expect(await storedEventCount(doomed.id)).toBe(40);
    expect(await keysUnder(projectPrefix(doomed.id))).toHaveLength(4);
    const otherArchive = await keysUnder(projectPrefix(other.id));
    expect(otherArchive).toHaveLength(4);
    const [doomedDep] = deployments;
    // Accepted events wait in the outbox; the windows count them at their next read.
    const held = await monitorRows(doomedDep as string);
    expect(held.buckets + held.outbox).toBeGreaterThan(0);
    const otherBefore = await rowsMentioning(other.id);

    const res = await call(`/v1/projects/${doomed.id}`, { method: "DELETE", key: ADMIN });
    expect(res.status).toBe(202);
    const { deletion } = (await res.json()) as { deletion: { id: string; status: string } };
    expect(deletion.status).toBe("deleting");
    // Asking again answers the same deletion.
    const again = await call(`/v1/projects/${doomed.id}`, { method: "DELETE", key: ADMIN });
    expect(((await again.json()) as { deletion: { id: string } }).deletion.id).toBe(deletion.id);

    // Its keys stop at once; events already queued are dropped by the consumer.
    const ingest = await call("/v1/events", {
      method: "POST",
      key: doomed.ingest,
      json: { events: [{ deployment: slug }] },
    });
    expect(ingest.status).toBe(401);
    await deliver(doomed.id, slug, 5);
    expect(await storedEventCount(doomed.id)).toBe(40);

    // One pass deletes, the next finds nothing left and completes.
    expect(await finishDeletion(deletion.id)).toBe(2);

    const kept = DELETION_AUDIT_ACTIONS.map((a) => `'${a}'`).join(", ");
    expect(
      await rowsMentioning(doomed.id, {
        deletions: "AND 0",
        audit_log: `AND action NOT IN (${kept})`,
      }),
    ).toEqual({});
    const audit = await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE project_id = ? ORDER BY id",
    )
      .bind(doomed.id)
      .all();
    expect(audit.results).toEqual([
      { action: "project.delete", actor: "root" },
      { action: "project.deleted", actor: "root" },
    ]);
    for (const dep of deployments.slice(0, 2)) {
      expect(await monitorRows(dep as string)).toEqual(EMPTIED);
    }
    expect(await rowsMentioning(other.id)).toEqual(otherBefore);
    expect(await archiveKeysMentioning(doomed.id)).toEqual([]);
    expect(await keysUnder(projectPrefix(other.id))).toEqual(otherArchive);
    const survivor = await monitorRows(deployments[2] as string);
    expect(survivor.buckets + survivor.outbox).toBeGreaterThan(0);
    expect((await call(`/v1/projects/${doomed.id}`, { method: "DELETE", key: ADMIN })).status).toBe(
      404,
    );
  });
});

const deleteDeployment = (
  key: string | undefined,
  param: { env: string; slug: string },
  query: { project?: string } = {},
) => client(key).v1.deployments[":env"][":slug"].$delete({ param, query });

describe("DELETE /v1/deployments/:env/:slug", () => {
  it("answers 401 without a key, 403 for a read key, 404 for an unknown deployment", async () => {
    const p = await createProject("dep-guard");
    const slug = uniqueSlug();
    await deliver(p.id, slug, 1);
    const param = { env: "production", slug };
    expect((await deleteDeployment(undefined, param)).status).toBe(401);
    expect((await deleteDeployment(p.read, param)).status).toBe(403);
    const nope = await deleteDeployment(p.admin, { env: "production", slug: "nope" });
    expect((await expectStatus(nope, 404)).error.code).toBe("not_found");
    const bad = await call("/v1/deployments/production/Not_A_Slug", {
      method: "DELETE",
      key: p.admin,
    });
    expect(issuePath(await expectStatus(bad, 400))).toBe("slug");
  });

  it("answers the same deletion when asked again while it is open, audited once", async () => {
    const p = await createProject("dep-again");
    const slug = uniqueSlug();
    await deliver(p.id, slug, 1);
    const param = { env: "production", slug };
    const first = (await expectStatus(await deleteDeployment(p.admin, param), 202)).deletion;
    expect(first).toEqual({
      id: expect.stringMatching(/^del_/),
      kind: "deployment",
      project_id: p.id,
      deployment_id: `${p.id}:production:${slug}`,
      status: "deleting",
      requested_at: expect.any(Number),
    });
    const root = await deleteDeployment(ADMIN, param, { project: p.id });
    expect((await expectStatus(root, 202)).deletion).toEqual(first);
    const audit = await env.DB.prepare(
      "SELECT action, actor, after FROM audit_log WHERE project_id = ? AND action = 'deployment.delete'",
    )
      .bind(p.id)
      .all<{ action: string; actor: string; after: string }>();
    expect(audit.results).toHaveLength(1);
    expect(JSON.parse(audit.results[0]?.after ?? "null")).toEqual({ deletion: first.id });
  });

  it("removes the deployment's rows and Durable Object, keeps its sibling and the project", async () => {
    const p = await createProject("dep");
    await seedProject(p);
    const slug = uniqueSlug();
    const doomed = await seed(p, slug);
    const sibling = await seed(p, `keep-${slug}`);
    const siblingBefore = await rowsMentioning(sibling);
    const ref = (s: string) => ({ projectId: p.id, environment: "production", slug: s });
    expect(await keysUnder(deploymentPrefix(ref(slug)))).toHaveLength(2);
    const siblingArchive = await keysUnder(deploymentPrefix(ref(`keep-${slug}`)));
    expect(siblingArchive).toHaveLength(2);

    const res = await deleteDeployment(p.admin, { env: "production", slug });
    const { deletion } = await expectStatus(res, 202);
    expect(deletion.deployment_id).toBe(doomed);
    const requestedAt = Date.now();
    // Events for it that were still queued are dropped.
    await deliver(p.id, slug, 5);
    expect(await storedEventCount(p.id)).toBe(40);
    await finishDeletion(deletion.id);

    // The project's audit log keeps the record of the deletion, and nothing else of it.
    expect(
      await rowsMentioning(doomed, {
        deletions: "AND 0",
        audit_log: "AND action NOT IN ('deployment.delete', 'deployment.deleted')",
      }),
    ).toEqual({});
    const deadLetters = await env.DB.prepare(
      "SELECT message_id FROM dead_letters WHERE body ->> '$.projectId' = ? ORDER BY message_id",
    )
      .bind(p.id)
      .all<{ message_id: string }>();
    expect(deadLetters.results.map((r) => r.message_id)).toEqual([`dl_keep-${slug}`]);
    expect(await monitorRows(doomed)).toEqual(EMPTIED);
    expect(await rowsMentioning(sibling)).toEqual(siblingBefore);
    expect(await keysUnder(deploymentPrefix(ref(slug)))).toEqual([]);
    expect(await keysUnder(projectPrefix(p.id))).toEqual(siblingArchive);
    expect(await storedEventCount(p.id)).toBe(20);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE project_id = ? AND target = ? ORDER BY id",
    )
      .bind(p.id, doomed)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["deployment.delete", "deployment.deleted"]);

    // Events received before the deletion completed stay dropped; later ones start afresh.
    await deliver(p.id, slug, 3, requestedAt);
    expect(await storedEventCount(p.id)).toBe(20);
    await deliver(p.id, slug, 4, Date.now() + IN_FLIGHT_GRACE_MS * 2);
    expect(await storedEventCount(p.id)).toBe(24);
  });
});
