// A deployment's baselines on the dashboard: capture from a UTC range (activated), activate
// another, delete, each through the baseline operations the API uses, audited; a range with
// no events or a malformed time shown beside its field, nothing saved; read keys refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import { captureBody, utcMinuteField } from "../../src/status/dashboard/baseline-form";
import { createDeployment, ingestInto } from "../deployment-fixture";
import { createProject } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

let seq = 0;
const MIN = 60_000;

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16);

const stored = async (deploymentId: string) =>
  (
    await env.DB.prepare(
      "SELECT id, active, count FROM baselines WHERE deployment_id = ? ORDER BY created_at",
    )
      .bind(deploymentId)
      .all<{ id: string; active: number; count: number }>()
  ).results;

const actions = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT action FROM audit_log WHERE project_id = ? AND action LIKE 'baseline.%' ORDER BY id",
    )
      .bind(projectId)
      .all<{ action: string }>()
  ).results.map((r) => r.action);

async function world() {
  const p = await createProject("dash-baselines");
  const d = await createDeployment(p.id);
  const now = Date.now();
  const events = Array.from(
    { length: 30 },
    (_, k) =>
      ({
        type: "interaction",
        id: `bl${seq++}-${now}`,
        deployment: d.slug,
        environment: "production",
        ts: now - 20 * MIN + k * 1000,
        status: "ok",
        received_at: now,
      }) as ArchivedEvent,
  );
  await ingestInto(p.id, d, events);
  const cookie = await dashboardCookie(p.admin);
  const home = `/dashboard/d/production/${d.slug}/baselines`;
  const csrf = csrfOf(await (await get(home, cookie)).text());
  return { p, d, now, cookie, csrf, home };
}

describe("dashboard baselines", () => {
  it("captures a baseline from a UTC range, activates it, and lists it; audited", async () => {
    const { p, d, now, cookie, csrf, home } = await world();
    const res = await post(
      home,
      {
        csrf,
        from: utc(now - 30 * MIN),
        to: utc(now - 5 * MIN),
        label: "before launch",
        activate: "on",
      },
      cookie,
    );
    expect(res.status).toBe(303);
    const [row] = await stored(d.id);
    expect(row).toMatchObject({ active: 1, count: 30 });
    expect(await actions(p.id)).toEqual(["baseline.create"]);
    const html = await (await get(home, cookie)).text();
    expect(html).toMatch(/<h3>before launch<\/h3><span class="pill">range · active/);
  });

  it("activates another baseline and deletes one, each audited", async () => {
    const { p, d, now, cookie, csrf, home } = await world();
    const range = { csrf, from: utc(now - 30 * MIN), to: utc(now - 5 * MIN) };
    await post(home, { ...range, label: "a", activate: "on" }, cookie);
    await post(home, { ...range, label: "b" }, cookie);
    const [a, b] = await stored(d.id);
    expect([a?.active, b?.active]).toEqual([1, 0]);
    expect((await post(`${home}/${b?.id}/activate`, { csrf }, cookie)).status).toBe(303);
    expect((await stored(d.id)).map((r) => r.active)).toEqual([0, 1]);
    expect((await post(`${home}/${a?.id}/delete`, { csrf }, cookie)).status).toBe(303);
    expect((await stored(d.id)).map((r) => r.id)).toEqual([b?.id]);
    expect(await actions(p.id)).toEqual([
      "baseline.create",
      "baseline.create",
      "baseline.activate",
      "baseline.delete",
    ]);
  });

  it("shows a range without events and a malformed time beside their fields, saving nothing", async () => {
    const { d, now, cookie, csrf, home } = await world();
    const empty = await post(
      home,
      { csrf, from: utc(now - 3 * 86_400_000), to: utc(now - 2 * 86_400_000) },
      cookie,
    );
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/id="new-from-error">The range holds no events/);
    const bad = await post(home, { csrf, from: "yesterday", to: utc(now) }, cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(
      /id="new-from"[^>]*value="yesterday"[\s\S]*id="new-from-error"/,
    );
    const unknown = await post(home, { csrf, model: "no-such-model" }, cookie);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(
      /id="new-model-error">No release matching model=no-such-model/,
    );
    expect(await stored(d.id)).toHaveLength(0);
  });

  it("refuses a read key's capture (403)", async () => {
    const { p, d, now, home } = await world();
    const cookie = await dashboardCookie(p.read);
    const csrf = csrfOf(await (await get(home, cookie)).text());
    const res = await post(home, { csrf, from: utc(now - 30 * MIN), to: utc(now) }, cookie);
    expect(res.status).toBe(403);
    expect(await stored(d.id)).toHaveLength(0);
  });

  it("reads the form's times as UTC and a release field as a release filter", () => {
    expect(utcMinuteField("2026-12-01T09:30")).toBe(Date.UTC(2026, 11, 1, 9, 30));
    expect(utcMinuteField("9:30")).toBeNaN();
    expect(captureBody({ model: " gpt-4o ", from: "", activate: "on" })).toEqual({
      release: { model: "gpt-4o" },
      activate: true,
    });
  });
});
