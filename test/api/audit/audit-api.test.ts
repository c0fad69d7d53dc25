// GET /v1/audit: filters, cursor pages, scope and project isolation, masked secrets.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { client, expectStatus, issuePath } from "../../client";
import { ADMIN, call, createProject } from "../../helpers";
import { seedDeployment, seedIncident } from "../../status/seed";

type Query = NonNullable<Parameters<ReturnType<typeof client>["v1"]["audit"]["$get"]>[0]>["query"];
type Page = Awaited<ReturnType<typeof page>>;

interface Seed {
  actor?: string;
  action?: string;
  target?: string;
  at: number;
  after?: unknown;
}

async function seed(projectId: string, rows: Seed[]): Promise<void> {
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        "INSERT INTO audit_log (project_id, actor, action, target, before, after, at) VALUES (?, ?, ?, ?, NULL, ?, ?)",
      ).bind(
        projectId,
        r.actor ?? "root",
        r.action ?? "seeded",
        r.target ?? "rule_1",
        JSON.stringify(r.after ?? { n: r.at }),
        r.at,
      ),
    ),
  );
}

async function page(key: string, query: Query = {}) {
  return expectStatus(await client(key).v1.audit.$get({ query }), 200);
}

describe("GET /v1/audit", () => {
  it("filters by target, actor, action and time range", async () => {
    const p = await createProject();
    const t0 = 1_700_000_000_000;
    await seed(p.id, [
      { at: t0, action: "rule.create", target: "rule_a", actor: "key:key_1" },
      { at: t0 + 1_000, action: "rule.update", target: "rule_a", actor: "root" },
      { at: t0 + 2_000, action: "channel.create", target: "ch_1", actor: "key:key_1" },
      { at: t0 + 3_000, action: "rule.update", target: "rule_b", actor: "key:key_2" },
    ]);
    const ats = (p: Page) => p.entries.map((e) => e.at - t0);
    expect(ats(await page(p.admin, { target: "rule_a" }))).toEqual([1_000, 0]);
    expect(ats(await page(p.admin, { actor: "key:key_1" }))).toEqual([2_000, 0]);
    expect(ats(await page(p.admin, { action: "rule.update" }))).toEqual([3_000, 1_000]);
    const range = { since: String(t0 + 1_000), until: String(t0 + 3_000) };
    expect(ats(await page(p.admin, range))).toEqual([2_000, 1_000]);
    expect(ats(await page(p.admin, { action: "rule.update", actor: "root" }))).toEqual([1_000]);
    expect((await page(p.admin, { target: "nothing" })).entries).toEqual([]);
  });

  it("pages newest first with no duplicates or gaps, even as entries are added", async () => {
    const p = await createProject();
    const t0 = 1_700_000_000_000;
    // Equal timestamps on purpose: the order must not depend on `at` being distinct.
    await seed(
      p.id,
      Array.from({ length: 7 }, (_, i) => ({ at: t0 + Math.floor(i / 2), target: `t${i}` })),
    );
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const q: Query = { action: "seeded", limit: "3", ...(cursor ? { cursor } : {}) };
      const result: Page = await page(p.admin, q);
      seen.push(...result.entries.map((e) => e.target));
      cursor = result.next_cursor;
      pages++;
      // A change written while a client pages is newer than every page: it never shifts them.
      if (pages === 1) await seed(p.id, [{ at: t0 + 10, target: "late" }]);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(["t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
    const all = await page(p.admin, { action: "seeded", limit: "200" });
    expect(all.entries.map((e) => e.target)).toEqual(["late", ...seen]);
    expect(all.next_cursor).toBeNull();
  });

  it("answers 403 to read and ingest keys and never shows another project's entries", async () => {
    const a = await createProject();
    const b = await createProject();
    await seed(a.id, [{ at: 1, target: "mine" }]);
    await seed(b.id, [
      { at: 2, target: "theirs" },
      { at: 3, target: "theirs too" },
    ]);
    expect((await call("/v1/audit", { key: a.read })).status).toBe(403);
    expect((await call("/v1/audit", { key: a.ingest })).status).toBe(403);
    expect((await call("/v1/audit")).status).toBe(401);
    const seeded = { action: "seeded" };
    expect((await page(a.admin, seeded)).entries.map((e) => e.target)).toEqual(["mine"]);
    // Unfiltered, A's listing holds A's own changes (its keys' creation) and nothing of B's.
    const everything = (await page(a.admin)).entries;
    expect(everything.every((e) => !e.target.startsWith("theirs"))).toBe(true);
    expect(everything.map((e) => e.target)).not.toContain(b.id);
    expect((await page(a.admin, { target: "theirs" })).entries).toEqual([]);
    expect((await call(`/v1/audit?project=${b.id}`, { key: a.admin })).status).toBe(403);
    // A cursor taken from B's listing still reads only A's entries.
    const theirs = await page(b.admin, { ...seeded, limit: "1" });
    expect(theirs.entries.map((e) => e.target)).toEqual(["theirs too"]);
    const cursor = theirs.next_cursor ?? "";
    expect((await page(a.admin, { ...seeded, cursor })).entries.map((e) => e.target)).toEqual([
      "mine",
    ]);
    expect((await page(ADMIN, { ...seeded, project: b.id })).entries.map((e) => e.target)).toEqual([
      "theirs too",
      "theirs",
    ]);
  });

  it("lists a change made through the API, with secrets masked", async () => {
    const p = await createProject();
    const res = await call("/v1/channels", {
      method: "POST",
      key: p.admin,
      json: { type: "webhook", name: "ops", url: "https://hooks.example.com/abc/def123456789" },
    });
    expect(res.status).toBe(201);
    const [entry] = (await page(p.admin, { action: "channel.create" })).entries;
    expect(entry?.actor).toMatch(/^key:key_/);
    expect(JSON.stringify(entry?.after)).not.toContain("def123456789");
    expect((entry?.after as { secret?: string } | undefined)?.secret).toMatch(
      /^whsec_\*\*\*\*.{4}$/,
    );

    await seed(p.id, [
      {
        at: 5,
        action: "raw",
        after: {
          name: "visible",
          signing_secret: "plain-secret-value-1234",
          hook: "https://hooks.slack.com/services/T1/B2/abcdefghijklmnop",
        },
      },
    ]);
    const [raw] = (await page(p.admin, { action: "raw" })).entries;
    expect(raw?.after).toEqual({
      name: "visible",
      signing_secret: "****1234",
      hook: "https://hooks.slack.com/services/T1/B2/****mnop",
    });
  });

  it("names the key (by id and name) or the root token, and the request, for plain and conditional changes", async () => {
    const p = await createProject();
    const named = await call(`/v1/projects/${p.id}/keys`, {
      method: "POST",
      key: ADMIN,
      json: { name: "release-bot", scopes: ["admin"] },
    });
    expect(named.status).toBe(201);
    const created = (await named.json()) as { key: { id: string; secret: string } };
    const bot = created.key.secret;

    // A plain change (auditEntry), by the named key.
    const channel = await call("/v1/channels", {
      method: "POST",
      key: bot,
      json: { type: "webhook", name: "ops", url: "https://hooks.example.com/audit" },
    });
    expect(channel.status).toBe(201);
    const channelRequest = channel.headers.get("x-request-id");
    expect(channelRequest).toBeTruthy();
    const [made] = (await page(p.admin, { action: "channel.create" })).entries;
    expect(made).toMatchObject({
      actor: `key:${created.key.id}`,
      actor_name: "release-bot",
      request_id: channelRequest,
    });

    // The key creation itself, by the root token: no name.
    const [keyEntry] = (await page(p.admin, { action: "key.create", target: created.key.id }))
      .entries;
    expect(keyEntry).toMatchObject({
      actor: "root",
      actor_name: null,
      request_id: named.headers.get("x-request-id"),
    });

    // A conditional change (auditEntryIf): acknowledging an incident.
    const now = Date.now();
    const deploymentId = await seedDeployment(p.id, `audit-${now.toString(36)}`, now);
    const incident = `inc_audit_${now.toString(36)}`;
    await seedIncident({
      id: incident,
      projectId: p.id,
      deploymentId,
      severity: "critical",
      metric: "thumbs_down_rate",
      status: "firing",
      firingAt: now - 60_000,
    });
    // The state machine's full stored state, as evaluation writes it.
    const state = {
      fingerprint: `${deploymentId}|${incident}`,
      status: "firing",
      started_at: now - 360_000,
      firing_at: now - 60_000,
      resolved_at: null,
      last_notified_at: null,
      last_evaluated_minute: Math.floor(now / 60_000),
      acked_at: null,
      silenced_until: null,
      last_value: 0.2,
    };
    await env.DB.prepare("UPDATE incidents SET state = ? WHERE id = ?")
      .bind(JSON.stringify(state), incident)
      .run();
    const ack = await call(`/v1/incidents/${incident}/ack`, { method: "POST", key: bot });
    expect(ack.status).toBe(200);
    const [acked] = (await page(p.admin, { target: incident })).entries;
    expect(acked).toMatchObject({
      actor: `key:${created.key.id}`,
      actor_name: "release-bot",
      request_id: ack.headers.get("x-request-id"),
    });
    expect(ack.headers.get("x-request-id")).not.toBe(channelRequest);
  });

  it("refuses a bad cursor and a limit over the maximum, naming the field", async () => {
    const p = await createProject();
    for (const [query, path] of [
      ["?cursor=nope", "cursor"],
      ["?limit=201", "limit"],
      ["?since=yesterday", "since"],
      ["?colour=red", "colour"],
    ] as const) {
      const res = await call(`/v1/audit${query}`, { key: p.admin });
      expect(issuePath(await expectStatus(res, 400))).toBe(path);
    }
  });
});
