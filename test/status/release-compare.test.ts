// The release comparison page with a verdict decided by the real runner over the real
// Durable Object's arms and D1.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verdictDashboardUrl } from "../../src/alerts/verdicts/notify-verdicts";
import { runVerdicts } from "../../src/alerts/verdicts/run-verdicts";
import type { ArchivedEvent } from "../../src/archive/layout";
import { minuteOf } from "../../src/shared/time";
import { releaseKey } from "../../src/window/aggregate";
import { createDeployment, monitorOf } from "../deployment-fixture";
import { BASE, call, createProject } from "../helpers";
import { dashboardCookie } from "./sign-in";

const MINUTE = 60_000;
const DAY = 86_400_000;

async function seededVerdict() {
  const project = await createProject("compare");
  const d = await createDeployment(project.id);
  const monitor = monitorOf(project.id, d);
  const now = Date.now();
  const end = minuteOf(now);
  const stub = env.DEPLOYMENT_MONITOR.getByName(d.id);
  const arms = [
    { prompt: "v13", perMinute: 80, errors: 1 },
    { prompt: "v14", perMinute: 20, errors: 6 },
  ];
  for (let m = 40; m >= 1; m--) {
    const events: ArchivedEvent[] = arms.flatMap((arm) =>
      Array.from({ length: arm.perMinute }, (_, i) => ({
        type: "interaction" as const,
        id: crypto.randomUUID(),
        deployment: d.slug,
        environment: d.environment,
        ts: end - m * MINUTE + Math.floor((i / arm.perMinute) * MINUTE),
        status: i < arm.errors ? ("error" as const) : ("ok" as const),
        model: "gpt-4o-mini",
        provider: "openai",
        prompt_version: arm.prompt,
        latency_ms: 500 + i,
        received_at: now,
      })),
    );
    await stub.ingest({ monitor, events });
  }
  for (const [i, arm] of arms.entries()) {
    await env.DB.prepare(
      "INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count) VALUES (?, 'gpt-4o-mini', 'openai', ?, '', ?, ?, ?)",
    )
      .bind(d.id, arm.prompt, i === 0 ? now - 7 * DAY : end - 40 * MINUTE, now, i === 0 ? 1e6 : 800)
      .run();
  }
  const row = { ...d, projectId: project.id, firstSeen: 0, lastSeen: now };
  await runVerdicts(env, row, end - 30 * MINUTE);
  const decided = await runVerdicts(env, row, end);
  const cookie = await dashboardCookie(project.read);
  const page = `/dashboard/d/production/${d.slug}/releases`;
  const get = (path: string) => call(path, { headers: { cookie }, redirect: "manual" });
  const link = (id: string) =>
    verdictDashboardUrl(BASE, { ...row, environment: d.environment, slug: d.slug }, id);
  return { decided, get, page, slug: d.slug, link };
}

describe("release comparison page", () => {
  it("shows a decided verdict's signals, both arms' minute charts, the history and a picker, without script", async () => {
    const { decided, get, page, link } = await seededVerdict();
    expect(decided.map((v) => v.state)).toEqual(["fail"]);
    const id = decided[0]?.id ?? "";
    // The link the Slack message and webhook carry opens this page at the verdict.
    expect(link(id)).toBe(`${BASE}${page}?verdict=${id}`);
    const res = await get(link(id).slice(BASE.length));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script");
    expect(html).toContain('data-verdict-state="fail"');
    expect(html).toMatch(/data-signal="error_rate" data-decision="worse"/);
    expect(html).toContain("prompt v14");
    expect(html).toContain("prompt v13");
    // Per-minute charts of both arms, as SVG.
    expect(html).toContain('id="chart-arm-error-rate"');
    expect(html).toContain("<svg");
    // The history lists the verdict; the picker is a GET form.
    expect(html).toContain(`data-verdict="${id}" data-state="fail"`);
    expect(html).toMatch(/<form method="get" action="[^"]+\/releases"/);
  }, 60_000);

  it("compares any two picked releases, and says when no verdict compares them", async () => {
    const { get, page } = await seededVerdict();
    const key = (p: string) =>
      releaseKey({ model: "gpt-4o-mini", provider: "openai", promptVersion: p, release: "" });
    const q = (a: string, b: string) =>
      `${page}?a=${encodeURIComponent(key(a))}&b=${encodeURIComponent(key(b))}`;
    const same = await (await get(q("v13", "v14"))).text();
    expect(same).toContain('data-verdict-state="fail"');
    const swapped = await (await get(q("v14", "v13"))).text();
    expect(swapped).not.toContain("data-verdict-state");
    expect(swapped).toContain("No verdict compares these two releases");
    expect(swapped).toContain("<svg");
  }, 60_000);

  it("answers 404 for an unknown deployment and links from the deployment page", async () => {
    const { get, page, slug } = await seededVerdict();
    const missing = await get("/dashboard/d/production/no-such-bot/releases");
    expect(missing.status).toBe(404);
    const dep = await (await get(`/dashboard/d/production/${slug}`)).text();
    expect(dep).toContain(`href="${page}"`);
  }, 60_000);

  it("links the deployment page's release marker to its verdict", async () => {
    const { decided, get, page, slug } = await seededVerdict();
    const id = decided[0]?.id ?? "";
    const dep = await (await get(`/dashboard/d/production/${slug}`)).text();
    // The flag of v14's marker on the charts (v13 → v14) opens the verdict on the comparison page.
    expect(dep).toContain(`<a href="${page}?verdict=${id}">prompt v14</a>`);
  }, 60_000);
});
