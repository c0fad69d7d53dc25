// Baselines API (capture from a range or a release, list, exclusive activation, delete)
// and the /checks drift-score series, against a seeded DeploymentMonitor.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import type { NormalizedInteraction } from "../../../src/ingest/normalized";
import { addEvent, decodeBucket, emptyBucket, encodeBucket } from "../../../src/window/bucket";
import { client, expectStatus, issuePath } from "../../client";
import { ADMIN, call, createProject, type TestProject, uniqueSlug } from "../../helpers";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const deployment = (key?: string) => client(key).v1.deployments[":env"][":slug"];
type CaptureBody = Parameters<ReturnType<typeof deployment>["baselines"]["$post"]>[0]["json"];
interface Seeded {
  id: string;
  slug: string;
  base: string;
}
const param = (dep: Seeded) => ({ env: "production", slug: dep.slug });

/** A deployment with `perMinute` events in each of the given minutes (epoch ms, floored). */
async function seed(p: TestProject, minutes: number[], perMinute = 10): Promise<Seeded> {
  const slug = uniqueSlug();
  const id = `${p.id}:production:${slug}`;
  const buckets = minutes.map((start) => {
    const bucket = emptyBucket();
    for (let i = 0; i < perMinute; i++) {
      const event: NormalizedInteraction = {
        type: "interaction",
        id: `${start}-${i}`,
        deployment: slug,
        environment: "production",
        ts: start + i,
        status: "ok",
        model: "gpt-4o-mini",
        latency_ms: 500 + i,
      };
      addEvent(bucket, event);
    }
    return { start, data: encodeBucket(bucket) };
  });
  await env.DEPLOYMENT_MONITOR.getByName(id).apply({
    deploymentId: id,
    token: `seed-${id}`,
    buckets,
  });
  await env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
  )
    .bind(id, p.id, slug, Date.now() - DAY, Date.now())
    .run();
  return { id, slug, base: `/v1/deployments/production/${slug}` };
}

const minuteNow = () => Math.floor(Date.now() / MINUTE) * MINUTE;
const recentMinutes = (n: number) =>
  Array.from({ length: n }, (_, i) => minuteNow() - (n - i) * MINUTE);

function capture(key: string, dep: Seeded, json: CaptureBody) {
  return deployment(key).baselines.$post({ param: param(dep), query: {}, json });
}
/** A capture the types forbid (unknown fields), sent as is. */
const captureRaw = (key: string, dep: Seeded, json: unknown) =>
  call(`${dep.base}/baselines`, { method: "POST", key, json });

async function captured(key: string, dep: Seeded, json: CaptureBody) {
  return (await expectStatus(await capture(key, dep, json), 201)).baseline;
}

async function listed(dep: Seeded, key: string) {
  const res = await deployment(key).baselines.$get({ param: param(dep), query: {} });
  return (await expectStatus(res, 200)).baselines;
}
const activeIds = async (dep: Seeded, key: string) =>
  (await listed(dep, key)).filter((b) => b.active).map((b) => b.id);

const baselineOf = (key: string, dep: Seeded, baselineId: string) => ({
  activate: () =>
    deployment(key).baselines[":baselineId"].activate.$post({
      param: { ...param(dep), baselineId },
      query: {},
    }),
  delete: () =>
    deployment(key).baselines[":baselineId"].$delete({
      param: { ...param(dep), baselineId },
      query: {},
    }),
});

const checks = (key: string | undefined, dep: Seeded, query: Record<string, string> = {}) =>
  deployment(key).checks.$get({ param: param(dep), query });

describe("baselines API", () => {
  it("captures an active baseline from a time range with the merged bucket and its count", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(30));
    const from = minuteNow() - 20 * MINUTE;
    const baseline = await captured(p.admin, dep, {
      from,
      to: minuteNow(),
      label: "last 20 minutes",
    });
    expect(baseline).toMatchObject({
      kind: "range",
      label: "last 20 minutes",
      from,
      to: minuteNow(),
      count: 200,
      active: true,
    });
    const stored = await env.DB.prepare("SELECT data, active FROM baselines WHERE id = ?")
      .bind(baseline.id)
      .first<{ data: string; active: number }>();
    expect(decodeBucket(stored?.data ?? "").counters.count).toBe(200);
    expect(stored?.active).toBe(1);
    const baselines = await listed(dep, p.read);
    expect(baselines).toEqual([baseline]);
    expect(baselines[0]).not.toHaveProperty("data");
    const audit = await env.DB.prepare(
      "SELECT action, after FROM audit_log WHERE project_id = ? AND action LIKE 'baseline.%'",
    )
      .bind(p.id)
      .first<{ action: string; after: string }>();
    expect(audit?.action).toBe("baseline.create");
    expect(JSON.parse(audit?.after ?? "null")).toEqual(baseline);
  });

  it("captures from a release over [first_seen, last_seen + 1 min), and 404s for an unknown one", async () => {
    const p = await createProject();
    const minutes = recentMinutes(40);
    const dep = await seed(p, minutes);
    const first = minutes[10] ?? 0;
    const last = minutes[19] ?? 0;
    await env.DB.prepare(
      "INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count) VALUES (?, 'gpt-4o-mini', 'openai', 'v14', '', ?, ?, 100)",
    )
      .bind(dep.id, first, last + 30_000)
      .run();
    const baseline = await captured(p.admin, dep, {
      release: { prompt_version: "v14" },
      activate: false,
    });
    expect(baseline).toMatchObject({
      kind: "release",
      label: "prompt_version=v14",
      release: { prompt_version: "v14" },
      from: first,
      to: last + MINUTE,
      count: 100,
      active: false,
    });
    expect(await activeIds(dep, p.read)).toEqual([]);
    const unknown = await capture(p.admin, dep, { release: { prompt_version: "v15" } });
    expect((await expectStatus(unknown, 404)).error.code).toBe("not_found");
  });

  it("captures older ranges from hour buckets and stores the span they cover", async () => {
    const p = await createProject();
    const hourStart = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    const dep = await seed(p, [hourStart + 10 * MINUTE, hourStart + 50 * MINUTE]);
    const baseline = await captured(p.admin, dep, {
      from: hourStart + 5 * MINUTE,
      to: hourStart + 30 * MINUTE,
    });
    expect(baseline).toMatchObject({ from: hourStart, to: hourStart + HOUR, count: 20 });
  });

  it("rejects invalid captures with 400 naming the field, and empty ranges with 400", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(5));
    const now = Date.now();
    const pathOf = async (res: {
      status: number;
      json(): Promise<unknown>;
      text(): Promise<string>;
    }) => issuePath(await expectStatus(res, 400));
    expect(await pathOf(await capture(p.admin, dep, { from: now, to: now - 1 }))).toBe("to");
    expect(await pathOf(await capture(p.admin, dep, { from: now - 40 * DAY, to: now }))).toBe(
      "from",
    );
    expect(await pathOf(await capture(p.admin, dep, { to: now }))).toBe("from");
    const both = { from: now - HOUR, to: now, release: { model: "x" } };
    expect(await pathOf(await capture(p.admin, dep, both))).toBe("release");
    expect(await pathOf(await capture(p.admin, dep, { release: {} }))).toBe("release");
    const colour = await captureRaw(p.admin, dep, { from: now - HOUR, to: now, colour: "red" });
    expect(await pathOf(colour)).toBe("colour");
    const empty = await capture(p.admin, dep, { from: now - 10 * DAY, to: now - 9 * DAY });
    expect((await expectStatus(empty, 400)).error.code).toBe("bad_request");
  });

  it("answers 401 without a key, 403 for a read key changing baselines, 404 for unknown deployments and baselines", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(5));
    const now = Date.now();
    const range = { from: now - HOUR, to: now };
    expect((await deployment().baselines.$get({ param: param(dep), query: {} })).status).toBe(401);
    expect((await capture(p.read, dep, range)).status).toBe(403);
    expect((await baselineOf(p.read, dep, "bl_x").delete()).status).toBe(403);
    expect((await baselineOf(p.read, dep, "bl_x").activate()).status).toBe(403);
    const nope = { id: "", slug: "nope", base: "/v1/deployments/production/nope" };
    expect(
      (await deployment(p.read).baselines.$get({ param: param(nope), query: {} })).status,
    ).toBe(404);
    expect((await capture(p.admin, nope, range)).status).toBe(404);
    expect((await baselineOf(p.admin, dep, "bl_x").activate()).status).toBe(404);
    expect((await baselineOf(p.admin, dep, "bl_x").delete()).status).toBe(404);
    const other = await createProject();
    expect(
      (await deployment(other.read).baselines.$get({ param: param(dep), query: {} })).status,
    ).toBe(404);
    const badId = await call(`${dep.base}/baselines/bl%20x/activate`, {
      method: "POST",
      key: p.admin,
    });
    expect(issuePath(await expectStatus(badId, 400))).toBe("baselineId");
  });

  it("keeps exactly one active baseline per deployment, and deleting the active one leaves none", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(30));
    const now = minuteNow();
    const a = await captured(p.admin, dep, { from: now - 30 * MINUTE, to: now - 15 * MINUTE });
    const b = await captured(p.admin, dep, { from: now - 15 * MINUTE, to: now });
    expect(await activeIds(dep, p.read)).toEqual([b.id]);
    const activated = await expectStatus(await baselineOf(p.admin, dep, a.id).activate(), 200);
    expect(activated.baseline).toEqual({ ...a, active: true });
    expect(await activeIds(dep, p.read)).toEqual([a.id]);
    const deleted = await expectStatus(await baselineOf(p.admin, dep, a.id).delete(), 200);
    expect(deleted).toEqual({ deleted: a.id, was_active: true });
    expect(await activeIds(dep, p.read)).toEqual([]);
    const actions = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE project_id = ? AND action LIKE 'baseline.%' ORDER BY id",
    )
      .bind(p.id)
      .all<{ action: string }>();
    expect(actions.results.map((r) => r.action)).toEqual([
      "baseline.create",
      "baseline.create",
      "baseline.activate",
      "baseline.delete",
    ]);
  });

  it("leaves the other deployment routes working beside these", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(5));
    const window = (key: string, query: { range?: "15m" }) =>
      deployment(key).window.$get({ param: param(dep), query });
    expect((await window(p.read, { range: "15m" })).status).toBe(200);
    expect((await window(p.admin, {})).status).toBe(200);
    expect((await window(p.ingest, {})).status).toBe(403);
    const root = deployment(ADMIN).baselines.$get({ param: param(dep), query: { project: p.id } });
    expect((await root).status).toBe(200);
  });
});

describe("checks API", () => {
  async function insertChecks(deploymentId: string, rows: [string, number, string][]) {
    await env.DB.batch(
      rows.map(([rule, minute, outcome]) =>
        env.DB.prepare(
          "INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message) VALUES (?, ?, ?, ?, 0.1, 0.05, 3.2, 3, 'z = 3.2')",
        ).bind(deploymentId, rule, minute, outcome),
      ),
    );
  }

  it("returns the drift-score series newest first, filtered by rule, for the last 24 hours by default", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(1));
    const now = minuteNow();
    await insertChecks(dep.id, [
      ["default:error_rate", now - 2 * MINUTE, "ok"],
      ["default:error_rate", now - MINUTE, "breach"],
      ["default:traffic", now - MINUTE, "ok"],
      ["default:error_rate", now - 2 * DAY, "ok"],
    ]);
    const body = await expectStatus(await checks(p.read, dep, { rule: "default:error_rate" }), 200);
    expect(body.deployment).toEqual({ environment: "production", slug: dep.slug });
    expect(body.checks).toEqual([
      {
        minute: now - MINUTE,
        rule_id: "default:error_rate",
        outcome: "breach",
        value: 0.1,
        baseline_value: 0.05,
        statistic: 3.2,
        threshold: 3,
        message: "z = 3.2",
      },
      expect.objectContaining({ minute: now - 2 * MINUTE, outcome: "ok" }),
    ]);
    const all = await checks(p.read, dep, { since: String(now - 3 * DAY), limit: "3" });
    expect((await expectStatus(all, 200)).checks).toHaveLength(3);
  });

  it("answers 404 naming the valid rule ids for an unknown rule instead of an empty list", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(1));
    const body = (await expectStatus(await checks(p.read, dep, { rule: "output_chars" }), 404))
      .error;
    expect(body.code).toBe("not_found");
    expect(body.message).toMatch(
      /^No rule 'output_chars' applies to production\/[a-z0-9-]+; rule ids: default:error_rate, /,
    );
    expect(body.message).toContain("default:output_chars");
    const { rule_ids } = body.details as { rule_ids: string[] };
    expect(rule_ids).toContain("default:output_chars");
    expect(rule_ids).toHaveLength(DEFAULT_RULES.length);
  });

  it("knows a custom rule only on the deployments its selector covers", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(1));
    const created = await call("/v1/rules", {
      method: "POST",
      key: p.admin,
      json: {
        name: "staging errors",
        metric: "error_rate",
        test: "static",
        threshold: 0.5,
        selector: { environment: "staging" },
      },
    });
    const { rule } = (await created.json()) as { rule: { id: string } };
    expect((await checks(p.read, dep, { rule: rule.id })).status).toBe(404);
    expect((await checks(p.read, dep, { rule: "default:output_chars" })).status).toBe(200);
  });

  it("rejects a limit above 1440 naming the field, and needs a key that can read", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(1));
    expect(issuePath(await expectStatus(await checks(p.read, dep, { limit: "5000" }), 400))).toBe(
      "limit",
    );
    expect((await checks(undefined, dep)).status).toBe(401);
    expect((await checks(p.ingest, dep)).status).toBe(403);
    const nope = { id: "", slug: "nope", base: "" };
    expect((await checks(p.read, nope)).status).toBe(404);
  });
});
