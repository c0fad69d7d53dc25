// Rules API: effective rules (defaults, overrides, custom), validation naming the field,
// overrides that restore the default when deleted, scopes, and the audit log.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../src/alerts/rules/default-rules";
import { loadRules } from "../src/alerts/rules/effective-rules";
import { ADMIN, call, createProject } from "./helpers";

interface RuleBody {
  id: string;
  source: string;
  threshold: number;
  enabled: boolean;
  channels: string[];
  min_samples: number;
  test: string;
}
interface ErrorBody {
  error: { code: string; details?: { issues: { path: string; message: string }[] } };
}

const CUSTOM = {
  name: "Support error rate above 10 %",
  metric: "error_rate",
  test: "static",
  threshold: 0.1,
};

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
const paths = async (res: Response) =>
  ((await json<ErrorBody>(res)).error.details?.issues ?? []).map((i) => i.path);

async function auditActions(projectId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE project_id = ? ORDER BY id",
  )
    .bind(projectId)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

describe("rules API", () => {
  it("lists every default rule with source 'default' for a read key", async () => {
    const p = await createProject();
    const res = await call("/v1/rules", { key: p.read });
    expect(res.status).toBe(200);
    const { rules } = await json<{ rules: RuleBody[] }>(res);
    expect(rules.map((r) => r.id)).toEqual(DEFAULT_RULES.map((r) => r.id));
    expect(new Set(rules.map((r) => r.source))).toEqual(new Set(["default"]));
    const one = await call("/v1/rules/default:error_rate", { key: p.read });
    expect(one.status).toBe(200);
    expect((await json<{ rule: RuleBody }>(one)).rule).toMatchObject({
      id: "default:error_rate",
      source: "default",
      threshold: 3,
    });
  });

  it("creates a custom rule with a generated id and defaults filled, and audits it", async () => {
    const p = await createProject();
    const res = await call("/v1/rules", { method: "POST", key: p.admin, json: CUSTOM });
    expect(res.status).toBe(201);
    const { rule } = await json<{ rule: RuleBody }>(res);
    expect(rule.id).toMatch(/^rule_/);
    expect(rule).toMatchObject({ source: "custom", min_samples: 50, enabled: true, channels: [] });
    const { rules } = await json<{ rules: RuleBody[] }>(await call("/v1/rules", { key: p.read }));
    expect(rules.at(-1)).toMatchObject({ id: rule.id, source: "custom" });
    expect((await loadRules(env.DB, p.id)).some((r) => r.id === rule.id)).toBe(true);
    expect(await auditActions(p.id)).toEqual(["rule.create"]);
  });

  it("rejects an invalid rule with 400 naming the field", async () => {
    const p = await createProject();
    const post = (body: unknown) => call("/v1/rules", { method: "POST", key: p.admin, json: body });
    const incompatible = await post({ ...CUSTOM, test: "psi" });
    expect(incompatible.status).toBe(400);
    expect(await paths(incompatible)).toEqual(["test"]);
    expect(await paths(await post({ ...CUSTOM, treshold: 1 }))).toContain("treshold");
    expect(await paths(await post({ ...CUSTOM, metric: "vibes" }))).toEqual(["metric"]);
    expect(await paths(await post({ ...CUSTOM, channels: ["ch_elsewhere"] }))).toEqual([
      "channels.0",
    ]);
    expect(await auditActions(p.id)).toEqual([]);
  });

  it("accepts channels of the project and rejects those of another project", async () => {
    const p = await createProject();
    const other = await createProject();
    const channel = async (key: string) => {
      const res = await call("/v1/channels", {
        method: "POST",
        key,
        json: { type: "webhook", name: "ops", url: "https://example.com/hook" },
      });
      return (await json<{ channel: { id: string } }>(res)).channel.id;
    };
    const mine = await channel(p.admin);
    const theirs = await channel(other.admin);
    const res = await call("/v1/rules", {
      method: "POST",
      key: p.admin,
      json: { ...CUSTOM, channels: [mine, theirs] },
    });
    expect(res.status).toBe(400);
    expect(await paths(res)).toEqual(["channels.1"]);
    const ok = await call("/v1/rules", {
      method: "POST",
      key: p.admin,
      json: { ...CUSTOM, channels: [mine] },
    });
    expect(ok.status).toBe(201);
  });

  it("answers 401 without a key and 403 when a read key tries to change rules", async () => {
    const p = await createProject();
    expect((await call("/v1/rules")).status).toBe(401);
    expect((await call("/v1/rules", { method: "POST", key: p.read, json: CUSTOM })).status).toBe(
      403,
    );
    const patch = await call("/v1/rules/default:error_rate", {
      method: "PATCH",
      key: p.read,
      json: { enabled: false },
    });
    expect(patch.status).toBe(403);
    expect((await call("/v1/rules", { key: p.ingest })).status).toBe(403);
  });

  it("answers 404 in the error envelope for an unknown rule", async () => {
    const p = await createProject();
    const get = await call("/v1/rules/rule_missing", { key: p.read });
    expect(get.status).toBe(404);
    expect((await json<ErrorBody>(get)).error.code).toBe("not_found");
    const patch = await call("/v1/rules/rule_missing", {
      method: "PATCH",
      key: p.admin,
      json: { threshold: 2 },
    });
    expect(patch.status).toBe(404);
    const del = await call("/v1/rules/rule_missing", { method: "DELETE", key: p.admin });
    expect(del.status).toBe(404);
  });

  it("overrides a default by PATCHing its id, and deleting the override restores it", async () => {
    const p = await createProject();
    const patch = await call("/v1/rules/default:error_rate", {
      method: "PATCH",
      key: p.admin,
      json: { threshold: 4, min_samples: 200 },
    });
    expect(patch.status).toBe(200);
    expect((await json<{ rule: RuleBody }>(patch)).rule).toMatchObject({
      id: "default:error_rate",
      source: "override",
      threshold: 4,
      min_samples: 200,
    });
    const row = await env.DB.prepare("SELECT definition FROM rules WHERE project_id = ? AND id = ?")
      .bind(p.id, "default:error_rate")
      .first<{ definition: string }>();
    expect(JSON.parse(row?.definition ?? "{}")).toMatchObject({
      metric: "error_rate",
      threshold: 4,
    });
    expect(
      (await loadRules(env.DB, p.id)).find((r) => r.id === "default:error_rate")?.threshold,
    ).toBe(4);

    const del = await call("/v1/rules/default:error_rate", { method: "DELETE", key: p.admin });
    expect(del.status).toBe(200);
    expect(await json<{ deleted: string; rule: RuleBody }>(del)).toMatchObject({
      deleted: "default:error_rate",
      rule: { source: "default", threshold: 3, min_samples: 50 },
    });
    const again = await call("/v1/rules/default:error_rate", { key: p.read });
    expect((await json<{ rule: RuleBody }>(again)).rule).toMatchObject({
      source: "default",
      threshold: 3,
    });
    // A default without an override cannot be deleted; disabling is the way.
    expect(
      (await call("/v1/rules/default:error_rate", { method: "DELETE", key: p.admin })).status,
    ).toBe(409);
    expect(await auditActions(p.id)).toEqual(["rule.update", "rule.delete"]);
  });

  it("disables a default with PATCH {enabled: false}, which the evaluator honours", async () => {
    const p = await createProject();
    const res = await call("/v1/rules/default:traffic", {
      method: "PATCH",
      key: p.admin,
      json: { enabled: false },
    });
    expect(res.status).toBe(200);
    const rules = await loadRules(env.DB, p.id);
    expect(rules.find((r) => r.id === "default:traffic")?.enabled).toBe(false);
    expect(rules).toHaveLength(DEFAULT_RULES.length);
  });

  it("re-checks the merged rule on PATCH and names the field that no longer fits", async () => {
    const p = await createProject();
    const created = await call("/v1/rules", { method: "POST", key: p.admin, json: CUSTOM });
    const { rule } = await json<{ rule: RuleBody }>(created);
    const bad = await call(`/v1/rules/${rule.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { test: "quantile_ratio" },
    });
    expect(bad.status).toBe(400);
    expect(await paths(bad)).toEqual(["test"]);
    expect(
      await paths(await call(`/v1/rules/${rule.id}`, { method: "PATCH", key: p.admin, json: {} })),
    ).toEqual([""]);
    const good = await call(`/v1/rules/${rule.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { test: "z_test", threshold: 3, min_effect: 0.05 },
    });
    expect(good.status).toBe(200);
    expect((await json<{ rule: RuleBody }>(good)).rule).toMatchObject({
      source: "custom",
      test: "z_test",
    });
    const del = await call(`/v1/rules/${rule.id}`, { method: "DELETE", key: p.admin });
    expect(await json<{ deleted: string }>(del)).toEqual({ deleted: rule.id });
    expect((await call(`/v1/rules/${rule.id}`, { key: p.read })).status).toBe(404);
  });

  it("lets the root token act on a project named with ?project=", async () => {
    const p = await createProject();
    const res = await call(`/v1/rules?project=${p.id}`, {
      method: "POST",
      key: ADMIN,
      json: CUSTOM,
    });
    expect(res.status).toBe(201);
    expect((await call("/v1/rules", { key: ADMIN })).status).toBe(400);
    const { rules } = await json<{ rules: RuleBody[] }>(await call("/v1/rules", { key: p.read }));
    expect(rules.filter((r) => r.source === "custom")).toHaveLength(1);
    expect(await auditActions(p.id)).toEqual(["rule.create"]);
  });
});
