// Baselines API (capture from a range or a release, list, exclusive activation, delete)
// and the /checks drift-score series, against a seeded DeploymentMonitor.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../src/alerts/rules/default-rules";
import type { NormalizedInteraction } from "../src/ingest/normalized";
import { addEvent, decodeBucket, emptyBucket, encodeBucket } from "../src/monitor/bucket";
import { ADMIN, call, createProject, type TestProject, uniqueSlug } from "./helpers";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface BaselineBody {
  id: string;
  kind: string;
  label: string;
  from: number;
  to: number;
  count: number;
  active: boolean;
  release: Record<string, string> | null;
}
interface ErrorBody {
  error: { code: string; details?: { issues: { path: string }[] } };
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
const paths = async (res: Response) =>
  ((await json<ErrorBody>(res)).error.details?.issues ?? []).map((i) => i.path);

/** A deployment with `perMinute` events in each of the given minutes (epoch ms, floored). */
async function seed(p: TestProject, minutes: number[], perMinute = 10) {
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

async function capture(key: string, base: string, body: unknown) {
  return call(`${base}/baselines`, { method: "POST", key, json: body });
}

async function activeIds(base: string, key: string) {
  const { baselines } = await json<{ baselines: BaselineBody[] }>(
    await call(`${base}/baselines`, { key }),
  );
  return baselines.filter((b) => b.active).map((b) => b.id);
}

describe("baselines API", () => {
  it("captures an active baseline from a time range with the merged bucket and its count", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(30));
    const from = minuteNow() - 20 * MINUTE;
    const res = await capture(p.admin, dep.base, {
      from,
      to: minuteNow(),
      label: "last 20 minutes",
    });
    expect(res.status).toBe(201);
    const { baseline } = await json<{ baseline: BaselineBody }>(res);
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
    const list = await call(`${dep.base}/baselines`, { key: p.read });
    expect(list.status).toBe(200);
    const { baselines } = await json<{ baselines: Record<string, unknown>[] }>(list);
    expect(baselines).toHaveLength(1);
    expect(baselines[0]).not.toHaveProperty("data");
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE project_id = ?")
      .bind(p.id)
      .first<{ action: string }>();
    expect(audit?.action).toBe("baseline.create");
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
    const res = await capture(p.admin, dep.base, {
      release: { prompt_version: "v14" },
      activate: false,
    });
    expect(res.status).toBe(201);
    const { baseline } = await json<{ baseline: BaselineBody }>(res);
    expect(baseline).toMatchObject({
      kind: "release",
      label: "prompt_version=v14",
      release: { prompt_version: "v14" },
      from: first,
      to: last + MINUTE,
      count: 100,
      active: false,
    });
    const unknown = await capture(p.admin, dep.base, { release: { prompt_version: "v15" } });
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.code).toBe("not_found");
  });

  it("captures older ranges from hour buckets and stores the span they cover", async () => {
    const p = await createProject();
    const hourStart = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    const dep = await seed(p, [hourStart + 10 * MINUTE, hourStart + 50 * MINUTE]);
    const res = await capture(p.admin, dep.base, {
      from: hourStart + 5 * MINUTE,
      to: hourStart + 30 * MINUTE,
    });
    const { baseline } = await json<{ baseline: BaselineBody }>(res);
    expect(baseline).toMatchObject({ from: hourStart, to: hourStart + HOUR, count: 20 });
  });

  it("rejects invalid captures with 400 naming the field, and empty ranges with 400", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(5));
    const now = Date.now();
    expect(await paths(await capture(p.admin, dep.base, { from: now, to: now - 1 }))).toEqual([
      "to",
    ]);
    expect(
      await paths(await capture(p.admin, dep.base, { from: now - 40 * DAY, to: now })),
    ).toEqual(["from"]);
    expect(await paths(await capture(p.admin, dep.base, { to: now }))).toEqual(["from"]);
    expect(
      await paths(
        await capture(p.admin, dep.base, { from: now - HOUR, to: now, release: { model: "x" } }),
      ),
    ).toEqual(["release"]);
    expect(await paths(await capture(p.admin, dep.base, { release: {} }))).toEqual(["release"]);
    expect(
      await paths(await capture(p.admin, dep.base, { from: now - HOUR, to: now, colour: "red" })),
    ).toEqual(["colour"]);
    const empty = await capture(p.admin, dep.base, { from: now - 10 * DAY, to: now - 9 * DAY });
    expect(empty.status).toBe(400);
    expect((await json<ErrorBody>(empty)).error.code).toBe("bad_request");
  });

  it("answers 401 without a key, 403 for a read key changing baselines, 404 for unknown deployments and baselines", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(5));
    const now = Date.now();
    expect((await call(`${dep.base}/baselines`)).status).toBe(401);
    expect((await capture(p.read, dep.base, { from: now - HOUR, to: now })).status).toBe(403);
    expect(
      (await call(`${dep.base}/baselines/bl_x`, { method: "DELETE", key: p.read })).status,
    ).toBe(403);
    expect((await call("/v1/deployments/production/nope/baselines", { key: p.read })).status).toBe(
      404,
    );
    expect(
      (await capture(p.admin, "/v1/deployments/production/nope", { from: now - HOUR, to: now }))
        .status,
    ).toBe(404);
    expect(
      (await call(`${dep.base}/baselines/bl_x/activate`, { method: "POST", key: p.admin })).status,
    ).toBe(404);
    expect(
      (await call(`${dep.base}/baselines/bl_x`, { method: "DELETE", key: p.admin })).status,
    ).toBe(404);
    const other = await createProject();
    expect((await call(`${dep.base}/baselines`, { key: other.read })).status).toBe(404);
  });

  it("keeps exactly one active baseline per deployment, and deleting the active one leaves none", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(30));
    const now = minuteNow();
    const a = (
      await json<{ baseline: BaselineBody }>(
        await capture(p.admin, dep.base, { from: now - 30 * MINUTE, to: now - 15 * MINUTE }),
      )
    ).baseline;
    const b = (
      await json<{ baseline: BaselineBody }>(
        await capture(p.admin, dep.base, { from: now - 15 * MINUTE, to: now }),
      )
    ).baseline;
    expect(await activeIds(dep.base, p.read)).toEqual([b.id]);
    const activate = await call(`${dep.base}/baselines/${a.id}/activate`, {
      method: "POST",
      key: p.admin,
    });
    expect(activate.status).toBe(200);
    expect((await json<{ baseline: BaselineBody }>(activate)).baseline.active).toBe(true);
    expect(await activeIds(dep.base, p.read)).toEqual([a.id]);
    const del = await call(`${dep.base}/baselines/${a.id}`, { method: "DELETE", key: p.admin });
    expect(await json<unknown>(del)).toEqual({ deleted: a.id, was_active: true });
    expect(await activeIds(dep.base, p.read)).toEqual([]);
    const actions = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE project_id = ? ORDER BY id",
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
    expect((await call(`${dep.base}/window?range=15m`, { key: p.read })).status).toBe(200);
    expect((await call(`${dep.base}/window`, { key: p.admin })).status).toBe(200);
    expect((await call(`${dep.base}/window`, { key: p.ingest })).status).toBe(403);
    const root = await call(`${dep.base}/baselines?project=${p.id}`, { key: ADMIN });
    expect(root.status).toBe(200);
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
    const res = await call(`${dep.base}/checks?rule=default:error_rate`, { key: p.read });
    expect(res.status).toBe(200);
    const { checks } = await json<{ checks: Record<string, unknown>[] }>(res);
    expect(checks).toEqual([
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
    const all = await json<{ checks: unknown[] }>(
      await call(`${dep.base}/checks?since=${now - 3 * DAY}&limit=3`, { key: p.read }),
    );
    expect(all.checks).toHaveLength(3);
  });

  it("answers 404 naming the valid rule ids for an unknown rule instead of an empty list", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(1));
    const res = await call(`${dep.base}/checks?rule=output_chars`, { key: p.read });
    expect(res.status).toBe(404);
    const body = await json<{
      error: { code: string; message: string; details: { rule_ids: string[] } };
    }>(res);
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toMatch(
      /^No rule 'output_chars' applies to production\/[a-z0-9-]+; rule ids: default:error_rate, /,
    );
    expect(body.error.message).toContain("default:output_chars");
    expect(body.error.details.rule_ids).toContain("default:output_chars");
    expect(body.error.details.rule_ids).toHaveLength(DEFAULT_RULES.length);
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
    const { rule } = await json<{ rule: { id: string } }>(created);
    const res = await call(`${dep.base}/checks?rule=${rule.id}`, { key: p.read });
    expect(res.status).toBe(404);
    const known = await call(`${dep.base}/checks?rule=default:output_chars`, { key: p.read });
    expect(known.status).toBe(200);
  });

  it("rejects a limit above 1440 naming the field, and needs a key that can read", async () => {
    const p = await createProject();
    const dep = await seed(p, recentMinutes(1));
    expect(await paths(await call(`${dep.base}/checks?limit=5000`, { key: p.read }))).toEqual([
      "limit",
    ]);
    expect((await call(`${dep.base}/checks`)).status).toBe(401);
    expect((await call(`${dep.base}/checks`, { key: p.ingest })).status).toBe(403);
    expect((await call("/v1/deployments/production/nope/checks", { key: p.read })).status).toBe(
      404,
    );
  });
});
