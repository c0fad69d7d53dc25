// Rules API: effective rules (defaults, overrides, custom), validation naming the field,
// overrides that restore the default when deleted, scopes, and the audit log.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { loadRules } from "../../../src/alerts/rules/effective-rules";
import { client, expectStatus } from "../../client";
import { ADMIN, call, createProject } from "../../helpers";

type RuleRequest = Parameters<ReturnType<typeof client>["v1"]["rules"]["$post"]>[0]["json"];

const CUSTOM = {
  name: "Support error rate above 10 %",
  metric: "error_rate",
  test: "static",
  threshold: 0.1,
} satisfies RuleRequest;

const rulesOf = (key?: string) => client(key).v1.rules;
const ruleOf = (key: string) => rulesOf(key)[":id"];
const one = (id: string) => ({ param: { id }, query: {} });

/** The field paths of a 400 answer's validation issues. */
async function paths(res: { status: number; json(): Promise<unknown>; text(): Promise<string> }) {
  const body = (await expectStatus(res, 400)) as {
    error: { details?: { issues: { path: string }[] } };
  };
  return (body.error.details?.issues ?? []).map((i) => i.path);
}

async function auditActions(projectId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE project_id = ? AND action LIKE 'rule.%' ORDER BY id",
  )
    .bind(projectId)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

describe("rules API", () => {
  it("lists every default rule with source 'default' for a read key", async () => {
    const p = await createProject();
    const { rules } = await expectStatus(await rulesOf(p.read).$get({ query: {} }), 200);
    expect(rules.map((r) => r.id)).toEqual(DEFAULT_RULES.map((r) => r.id));
    expect(new Set(rules.map((r) => r.source))).toEqual(new Set(["default"]));
    const got = await expectStatus(await ruleOf(p.read).$get(one("default:error_rate")), 200);
    expect(got.rule).toMatchObject({ id: "default:error_rate", source: "default", threshold: 3 });
  });

  it("creates a custom rule with a generated id and defaults filled, and audits it", async () => {
    const p = await createProject();
    const res = await rulesOf(p.admin).$post({ query: {}, json: CUSTOM });
    const { rule } = await expectStatus(res, 201);
    expect(rule.id).toMatch(/^rule_/);
    expect(rule).toMatchObject({ source: "custom", min_samples: 50, enabled: true, channels: [] });
    const { rules } = await expectStatus(await rulesOf(p.read).$get({ query: {} }), 200);
    expect(rules.at(-1)).toMatchObject({ id: rule.id, source: "custom" });
    expect((await loadRules(env.DB, p.id)).some((r) => r.id === rule.id)).toBe(true);
    expect(await auditActions(p.id)).toEqual(["rule.create"]);
  });

  it("rejects an invalid rule with 400 naming the field", async () => {
    const p = await createProject();
    // Bodies the client's types forbid (unknown field, unknown metric) go out raw.
    const post = (body: unknown) => call("/v1/rules", { method: "POST", key: p.admin, json: body });
    const incompatible = await rulesOf(p.admin).$post({
      query: {},
      json: { ...CUSTOM, test: "psi" },
    });
    expect(await paths(incompatible)).toEqual(["test"]);
    expect(await paths(await post({ ...CUSTOM, treshold: 1 }))).toContain("treshold");
    expect(await paths(await post({ ...CUSTOM, metric: "vibes" }))).toEqual(["metric"]);
    const foreign = await rulesOf(p.admin).$post({
      query: {},
      json: { ...CUSTOM, channels: ["ch_elsewhere"] },
    });
    expect(await paths(foreign)).toEqual(["channels.0"]);
    expect(await auditActions(p.id)).toEqual([]);
  });

  it("accepts channels of the project and rejects those of another project", async () => {
    const p = await createProject();
    const other = await createProject();
    const channel = async (key: string) => {
      const res = await client(key).v1.channels.$post({
        query: {},
        json: { type: "webhook", name: "ops", url: "https://example.com/hook" },
      });
      return (await expectStatus(res, 201)).channel.id;
    };
    const mine = await channel(p.admin);
    const theirs = await channel(other.admin);
    const res = await rulesOf(p.admin).$post({
      query: {},
      json: { ...CUSTOM, channels: [mine, theirs] },
    });
    expect(await paths(res)).toEqual(["channels.1"]);
    const again = await rulesOf(p.admin).$post({
      query: {},
      json: { ...CUSTOM, channels: [mine, theirs] },
    });
    expect((await expectStatus(again, 400)).error.message).toBe(
      `Invalid rule: channels.1: no channel '${theirs}' in this project`,
    );
    const ok = await rulesOf(p.admin).$post({ query: {}, json: { ...CUSTOM, channels: [mine] } });
    expect(ok.status).toBe(201);
  });

  it("answers 401 without a key and 403 when a read key tries to change rules", async () => {
    const p = await createProject();
    expect((await rulesOf().$get({ query: {} })).status).toBe(401);
    expect((await rulesOf(p.read).$post({ query: {}, json: CUSTOM })).status).toBe(403);
    const patch = await ruleOf(p.read).$patch({
      ...one("default:error_rate"),
      json: { enabled: false },
    });
    expect(patch.status).toBe(403);
    expect((await rulesOf(p.ingest).$get({ query: {} })).status).toBe(403);
  });

  it("answers 404 in the error envelope for an unknown rule", async () => {
    const p = await createProject();
    const get = await ruleOf(p.read).$get(one("rule_missing"));
    expect((await expectStatus(get, 404)).error.code).toBe("not_found");
    const patch = await ruleOf(p.admin).$patch({ ...one("rule_missing"), json: { threshold: 2 } });
    expect(patch.status).toBe(404);
    expect((await ruleOf(p.admin).$delete(one("rule_missing"))).status).toBe(404);
  });

  it("answers 400 naming the path parameter for an id that cannot be a rule's", async () => {
    const p = await createProject();
    const res = await ruleOf(p.read).$get(one("not a rule id"));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('"path":"id"');
  });

  it("overrides a default by PATCHing its id, and deleting the override restores it", async () => {
    const p = await createProject();
    const patch = await ruleOf(p.admin).$patch({
      ...one("default:error_rate"),
      json: { threshold: 4, min_samples: 200 },
    });
    expect((await expectStatus(patch, 200)).rule).toMatchObject({
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

    const del = await ruleOf(p.admin).$delete(one("default:error_rate"));
    expect(await expectStatus(del, 200)).toMatchObject({
      deleted: "default:error_rate",
      rule: { source: "default", threshold: 3, min_samples: 50 },
    });
    const again = await ruleOf(p.read).$get(one("default:error_rate"));
    expect((await expectStatus(again, 200)).rule).toMatchObject({
      source: "default",
      threshold: 3,
    });
    // A default without an override cannot be deleted; disabling is the way.
    expect((await ruleOf(p.admin).$delete(one("default:error_rate"))).status).toBe(409);
    expect(await auditActions(p.id)).toEqual(["rule.update", "rule.delete"]);
  });

  it("disables a default with PATCH {enabled: false}, which the evaluator honours", async () => {
    const p = await createProject();
    const res = await ruleOf(p.admin).$patch({
      ...one("default:traffic"),
      json: { enabled: false },
    });
    expect(res.status).toBe(200);
    const rules = await loadRules(env.DB, p.id);
    expect(rules.find((r) => r.id === "default:traffic")?.enabled).toBe(false);
    expect(rules).toHaveLength(DEFAULT_RULES.length);
  });

  it("re-checks the merged rule on PATCH and names the field that no longer fits", async () => {
    const p = await createProject();
    const created = await rulesOf(p.admin).$post({ query: {}, json: CUSTOM });
    const { rule } = await expectStatus(created, 201);
    const bad = await ruleOf(p.admin).$patch({ ...one(rule.id), json: { test: "quantile_ratio" } });
    expect(await paths(bad)).toEqual(["test"]);
    expect(await paths(await ruleOf(p.admin).$patch({ ...one(rule.id), json: {} }))).toEqual([""]);
    const good = await ruleOf(p.admin).$patch({
      ...one(rule.id),
      json: { test: "z_test", threshold: 3, min_effect: 0.05 },
    });
    expect((await expectStatus(good, 200)).rule).toMatchObject({
      source: "custom",
      test: "z_test",
    });
    const del = await ruleOf(p.admin).$delete(one(rule.id));
    expect(await expectStatus(del, 200)).toEqual({ deleted: rule.id });
    expect((await ruleOf(p.read).$get(one(rule.id))).status).toBe(404);
  });

  it("lets the root token act on a project named with ?project=", async () => {
    const p = await createProject();
    const res = await rulesOf(ADMIN).$post({ query: { project: p.id }, json: CUSTOM });
    expect(res.status).toBe(201);
    expect((await rulesOf(ADMIN).$get({ query: {} })).status).toBe(400);
    const { rules } = await expectStatus(await rulesOf(p.read).$get({ query: {} }), 200);
    expect(rules.filter((r) => r.source === "custom")).toHaveLength(1);
    expect(await auditActions(p.id)).toEqual(["rule.create"]);
  });
});
