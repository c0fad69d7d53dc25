// /dashboard/d/:env/:slug/breakdown against a real Durable Object: events ingested through
// its RPC, the error rate split by model (one chart per model), by a tag, and the refusals.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import { createDeployment, ingestInto, monitorOf } from "../deployment-fixture";
import { call, createProject } from "../helpers";
import { dashboardCookie } from "./sign-in";

let seq = 0;
const MIN = 60_000;

function event(slug: string, model: string, status: "ok" | "error", ago: number): ArchivedEvent {
  const now = Date.now();
  return {
    type: "interaction",
    id: `b${seq++}-${now}`,
    deployment: slug,
    environment: "production",
    ts: now - ago,
    status,
    model,
    tags: { locale: model === "gpt-4o" ? "ja" : "en" },
    // gpt-4o answers in 399 ms; claude in 9 ms or 99 ms by turns (geometric mean 31 ms).
    latency_ms: model === "gpt-4o" ? 399 : seq % 2 === 0 ? 9 : 99,
    received_at: now,
  } as ArchivedEvent;
}

/** gpt-4o: 10 interactions, 4 errors; claude: 10 interactions, none, over the last minutes. */
async function world() {
  const p = await createProject("dash-breakdown");
  const d = await createDeployment(p.id);
  const events = [
    ...Array.from({ length: 10 }, (_, k) =>
      event(d.slug, "gpt-4o", k < 4 ? "error" : "ok", 3 * MIN),
    ),
    ...Array.from({ length: 10 }, () => event(d.slug, "claude", "ok", 2 * MIN)),
  ];
  await ingestInto(p.id, d, events);
  return {
    cookie: await dashboardCookie(p.read),
    page: `/dashboard/d/production/${d.slug}/breakdown`,
  };
}

const rowOf = (html: string, value: string) =>
  new RegExp(`<tr data-value="${value}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? "";

describe("dashboard breakdowns", () => {
  it("splits the error rate by model, one chart per model, per minute over the last hour", async () => {
    const { cookie, page } = await world();
    const res = await call(`${page}?by=model&metric=error_rate&range=1h`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-breakdown="model"');
    expect(html).toMatch(/<h3>gpt-4o · 10 interactions<\/h3>/);
    expect(html).toMatch(/<h3>claude · 10 interactions<\/h3>/);
    expect(rowOf(html, "gpt-4o")).toContain("40.00 %");
    expect(rowOf(html, "gpt-4o")).toContain("(4 of 10)");
    expect(rowOf(html, "claude")).toContain("0.00 %");
  });

  it("splits by a tag's values over 24 hours from the hourly rows", async () => {
    const { cookie, page } = await world();
    const res = await call(`${page}?by=tags.locale&range=24h`, { headers: { cookie } });
    const html = await res.text();
    expect(html).toContain('data-breakdown="tags.locale"');
    expect(rowOf(html, "ja")).toContain("(4 of 10)");
    expect(rowOf(html, "en")).toContain("(0 of 10)");
  });

  it("splits latency by model as each model's geometric mean, saying no quantile is kept per segment", async () => {
    const { cookie, page } = await world();
    const res = await call(`${page}?by=model&metric=latency_ms&range=1h`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("latency (geometric mean) by model");
    expect(html).toContain("No quantile is kept per segment");
    expect(rowOf(html, "gpt-4o")).toContain("399 ms");
    expect(rowOf(html, "gpt-4o")).toContain("(10 values)");
    expect(rowOf(html, "claude")).toContain("31 ms");
    expect(html).toMatch(/<h3>claude · 10 interactions<\/h3>/);
  });

  it("falls back to the first dimension and the error rate on unknown choices", async () => {
    const { cookie, page } = await world();
    const res = await call(`${page}?by=__proto__&metric=nope&range=9y`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-breakdown="model"');
    expect(html).toContain("error rate by model");
  });

  it("says so when the deployment has no segment counts yet", async () => {
    const p = await createProject("dash-breakdown-empty");
    const d = await createDeployment(p.id);
    const cookie = await dashboardCookie(p.read);
    const res = await call(`/dashboard/d/production/${d.slug}/breakdown`, { headers: { cookie } });
    expect(await res.text()).toContain("No segment counts in this range yet");
  });

  it("answers 404 for a deployment of another project and sends the signed-out to sign-in", async () => {
    const { cookie } = await world();
    const other = await call("/dashboard/d/production/nope/breakdown", { headers: { cookie } });
    expect(other.status).toBe(404);
    const out = await call("/dashboard/d/production/nope/breakdown", { redirect: "manual" });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toContain("next=");
  });

  it("stays under the 64 KB page budget with 21 models over 7 days, every hour filled", async () => {
    const p = await createProject("dash-breakdown-size");
    const d = await createDeployment(p.id);
    const monitor = monitorOf(p.id, d);
    const HOUR = 60 * MIN;
    const events = [];
    for (let h = 1; h < 167; h++) {
      for (let m = 0; m < 8; m++)
        events.push(event(d.slug, `model-${m}`, h % 3 ? "ok" : "error", h * HOUR));
    }
    for (let m = 8; m < 25; m++) events.push(event(d.slug, `model-${m}`, "ok", MIN));
    const stub = env.DEPLOYMENT_MONITOR.getByName(d.id);
    for (let i = 0; i < events.length; i += 500) {
      await stub.ingest({ monitor, events: events.slice(i, i + 500) });
    }
    const cookie = await dashboardCookie(p.read);
    const res = await call(`/dashboard/d/production/${d.slug}/breakdown?by=model&range=7d`, {
      headers: { cookie },
    });
    const html = await res.text();
    expect(html.match(/<figure/g)?.length).toBe(8);
    expect(html).toContain('data-value="other"');
    const bytes = new TextEncoder().encode(html).length;
    console.log(`breakdown page, 21 models + other, 7 d: ${bytes} B`);
    expect(bytes).toBeLessThan(64 * 1024);
  });
});
