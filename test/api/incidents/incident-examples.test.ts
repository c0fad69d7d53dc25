// Example events, opt-in per project (keep_examples): off by default and nothing kept; on,
// both ingest paths keep samples (non-text fields, after the PII scrubber), turning it off
// deletes them; an incident lists those of its outcome from its breaching segment, each
// linking to an export of exactly that event, and leaves out those past the retention.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../../src/shared/time";
import { addEvent, emptyBucket, encodeBucket } from "../../../src/window/bucket";
import type { ExampleEvent } from "../../../src/window/example-sample";
import { monitorOf } from "../../deployment-fixture";
import {
  call,
  createProject,
  storedEventCount,
  type TestProject,
  uniqueSlug,
  waitFor,
} from "../../helpers";
import { seededRandom } from "../../sample-values";
import { deploymentRow } from "../../simulate";

const LOCALES = ["en", "de", "fr", "es", "ja"];

async function keepExamples(p: TestProject, on: boolean, more: Record<string, unknown> = {}) {
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: { keep_examples: on, ...more },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { project: { keep_examples: boolean } }).project;
}

/** Posts `n` failed interactions (≤ 10: straight to the object; more: through the queue). */
async function postErrors(p: TestProject, slug: string, prefix: string, n: number) {
  const events = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    deployment: slug,
    status: "error",
    model: "gpt-4o-mini",
    error_type: "upstream",
    user: "alice",
    tags: { locale: "ja", contact: "alice@example.com" },
  }));
  const res = await call("/v1/events", { method: "POST", key: p.ingest, json: events });
  expect(res.status).toBe(202);
}

/** Every kept example of errors in the deployment's object over the last day. */
async function keptErrors(projectId: string, slug: string): Promise<ExampleEvent[]> {
  const stub = env.DEPLOYMENT_MONITOR.getByName(`${projectId}:production:${slug}`);
  const now = Date.now();
  return stub.exampleEvents({ from: now - DAY_MS, to: now + HOUR_MS }, "error", "", "");
}

describe("keep_examples", () => {
  it("is off by default, and then neither ingest path keeps an example", async () => {
    const p = await createProject("examples-off");
    const project = await call(`/v1/projects/${p.id}`, { key: p.admin });
    expect(((await project.json()) as { project: object }).project).toMatchObject({
      keep_examples: false,
    });
    const slug = uniqueSlug("ex-off");
    await postErrors(p, slug, "direct", 3);
    await postErrors(p, slug, "queued", 12);
    const stored = await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 15,
    );
    expect(stored).toBe(15);
    expect(await keptErrors(p.id, slug)).toEqual([]);
  });

  it("when on, keeps examples from both ingest paths with non-text fields only, after the PII scrubber", async () => {
    const p = await createProject("examples-on");
    expect(await keepExamples(p, true, { drop_pii_tags: true })).toMatchObject({
      keep_examples: true,
    });
    const slug = uniqueSlug("ex-on");
    await postErrors(p, slug, "direct", 3);
    await postErrors(p, slug, "queued", 12);
    const kept = await waitFor(
      () => keptErrors(p.id, slug),
      (k) => k.some((e) => e.id.startsWith("direct")) && k.some((e) => e.id.startsWith("queued")),
    );
    expect(kept).toHaveLength(10);
    for (const e of kept) {
      // The scrubber dropped the e-mail tag before anything was stored; no user, no error text.
      expect(e).toEqual({
        id: e.id,
        ts: e.ts,
        status: "error",
        model: "gpt-4o-mini",
        tags: { locale: "ja" },
      });
    }
  });

  it("when turned off, deletes the kept examples with the deployment's next events", async () => {
    const p = await createProject("examples-toggle");
    await keepExamples(p, true);
    const slug = uniqueSlug("ex-toggle");
    await postErrors(p, slug, "before", 2);
    expect(await keptErrors(p.id, slug)).toHaveLength(2);
    await keepExamples(p, false);
    await postErrors(p, slug, "after", 2);
    expect(await keptErrors(p.id, slug)).toEqual([]);
  });

  it("answers 400 naming keep_examples when it is not a boolean", async () => {
    const p = await createProject("examples-bad");
    const res = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { keep_examples: "yes" },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { issues: { path: string }[] } } };
    expect(body.error.details.issues.map((i) => i.path)).toContain("keep_examples");
  });
});

function minuteEvents(slug: string, ts: number, r: () => number, changed: boolean) {
  return Array.from({ length: 100 }, (_, i): ArchivedEvent => {
    const locale = LOCALES[Math.floor(r() * LOCALES.length)] ?? "en";
    const rate = changed && locale === "ja" ? 0.45 : 0.05;
    return {
      type: "interaction",
      id: `${slug}-${ts}-${i}`,
      deployment: slug,
      environment: "production",
      ts: ts + i * 500,
      status: "ok",
      model: "gpt-4o-mini",
      feedback: r() < rate ? -1 : 1,
      tags: { locale },
      received_at: ts + 60_000,
    };
  });
}

interface ExamplesAnswer {
  outcome: string;
  segment: { name: string } | null;
  events: (ExampleEvent & { export_url: string })[];
  expired: number;
  export_url: string | null;
}

async function examplesOf(p: TestProject, id: string): Promise<ExamplesAnswer | null> {
  const res = await call(`/v1/incidents/${id}`, { key: p.read });
  expect(res.status).toBe(200);
  return ((await res.json()) as { incident: { examples: ExamplesAnswer | null } }).incident
    .examples;
}

async function exportedIds(p: TestProject, url: string): Promise<string[]> {
  const res = await call(url, { key: p.read });
  expect(res.status).toBe(200);
  return new TextDecoder()
    .decode(await res.arrayBuffer())
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { id: string }).id);
}

describe("an incident's examples", { timeout: 120_000 }, () => {
  it("lists thumbs-down examples from the breaching locale, each exporting exactly its event", async () => {
    const p = await createProject("examples-incident");
    await keepExamples(p, true);
    const slug = uniqueSlug("ex-inc");
    const deploymentId = `${p.id}:production:${slug}`;
    const monitor = monitorOf(p.id, { id: deploymentId, environment: "production", slug });
    const now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const r = seededRandom(27);
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    const hour = emptyBucket();
    for (let m = 0; m < 60; m++)
      for (const e of minuteEvents(slug, m * MINUTE_MS, r, false)) addEvent(hour, e);
    const data = encodeBucket(hour);
    const hours = [];
    for (
      let start = Math.floor((now - 7 * DAY_MS) / HOUR_MS) * HOUR_MS;
      start + HOUR_MS <= now - 2 * HOUR_MS;
      start += HOUR_MS
    ) {
      hours.push({ start, data });
    }
    await stub.apply({ deploymentId, token: `${slug}-history`, buckets: hours });
    for (let ago = 40; ago >= 1; ago--) {
      const ts = now - ago * MINUTE_MS;
      await stub.ingest({ monitor, events: minuteEvents(slug, ts, r, ago <= 30), examples: true });
    }
    await env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
    )
      .bind(deploymentId, p.id, slug, now - 7 * DAY_MS, now)
      .run();
    const d = await deploymentRow({ deploymentId });
    for (let ago = 8; ago >= 0; ago--) await evaluateDeployment(env, d, now - ago * MINUTE_MS);
    const row = await env.DB.prepare(
      "SELECT id FROM incidents WHERE deployment_id = ? AND rule_id = 'default:thumbs_down_rate' AND status = 'firing'",
    )
      .bind(deploymentId)
      .first<{ id: string }>();
    expect(row).not.toBeNull();
    const examples = await examplesOf(p, row?.id ?? "");
    expect(examples?.outcome).toBe("feedback_down");
    expect(examples?.segment?.name).toBe("locale=ja");
    const events = examples?.events ?? [];
    // 5 of each hour's locale=ja thumbs-down at least (src/window/example-sample.ts), 10 at most.
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(events.length).toBeLessThanOrEqual(10);
    for (const e of events) expect(e.tags).toEqual({ locale: "ja" });
    expect(examples?.expired).toBe(0);
    const first = events[0];
    if (!first) throw new Error("no example");
    expect(await exportedIds(p, first.export_url)).toEqual([first.id]);
    const all = await exportedIds(p, examples?.export_url ?? "");
    expect(all.sort()).toEqual(events.map((e) => e.id).sort());

    // The same incident of a project that turned examples off lists none.
    await keepExamples(p, false);
    expect(await examplesOf(p, row?.id ?? "")).toBeNull();
  });

  it("leaves out examples whose events are past the project's retention, and counts them", async () => {
    const p = await createProject("examples-expired");
    await keepExamples(p, true);
    const slug = uniqueSlug("ex-exp");
    const deploymentId = `${p.id}:production:${slug}`;
    const monitor = monitorOf(p.id, { id: deploymentId, environment: "production", slug });
    const now = Date.now();
    const old = now - 2 * DAY_MS;
    const failed = (id: string, ts: number): ArchivedEvent => ({
      type: "interaction",
      id,
      deployment: slug,
      environment: "production",
      ts,
      status: "error",
      received_at: ts,
    });
    await env.DEPLOYMENT_MONITOR.getByName(deploymentId).ingest({
      monitor,
      events: [failed("old-1", old), failed("old-2", old + 1)],
      examples: true,
    });
    await env.DB.batch([
      env.DB.prepare("UPDATE projects SET retention_days = 1 WHERE id = ?").bind(p.id),
      env.DB.prepare(
        "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
      ).bind(deploymentId, p.id, slug, old, old),
      env.DB.prepare(
        `INSERT INTO incidents (id, project_id, deployment_id, rule_id, fingerprint, status, severity, state,
           last_check, started_at, firing_at, resolved_at, updated_at)
         VALUES (?, ?, ?, 'default:error_rate', 'fp', 'resolved', 'critical', ?, ?, ?, ?, ?, ?)`,
      ).bind(
        `inc_${slug}`,
        p.id,
        deploymentId,
        JSON.stringify({
          fingerprint: "fp",
          status: "resolved",
          started_at: old,
          firing_at: old,
          resolved_at: old + HOUR_MS,
          last_notified_at: old,
          last_evaluated_minute: old,
          acked_at: null,
          silenced_until: null,
          last_value: 1,
        }),
        JSON.stringify({ metric: "error_rate", attribution: { everywhere: true, segments: [] } }),
        old,
        old,
        old + HOUR_MS,
        now,
      ),
    ]);
    const examples = await examplesOf(p, `inc_${slug}`);
    expect(examples).toMatchObject({ outcome: "error", segment: null, events: [], expired: 2 });
    expect(examples?.export_url).toBeNull();
  });
});
