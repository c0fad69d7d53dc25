// The dashboard's incident pages: the list and its filters, one incident's timeline, signal
// and checks, and the admin's forms on it (acknowledge, silence, resolve with a note,
// updates), each through the same domain operation as the API, audited, CSRF- and
// origin-checked, refused for read keys, and refused input shown beside its field.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createProject, uniqueSlug } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { seedDeployment, seedIncident, seedRelease } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();
const HOUR = 3_600_000;

async function world() {
  const p = await createProject("dash-incidents");
  const slug = uniqueSlug("bot");
  const deploymentId = await seedDeployment(p.id, slug, NOW);
  await seedRelease(deploymentId, "v13", NOW - 20 * 24 * HOUR);
  await seedRelease(deploymentId, "v14", NOW - 3 * HOUR);
  const incident = uniqueSlug("inc");
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId,
    severity: "critical",
    metric: "error_rate",
    status: "firing",
    firingAt: NOW - HOUR,
  });
  await env.DB.prepare(
    `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message)
     VALUES (?1, 'default:error_rate', ?2, 'breach', 0.2, 0.01, 5.1, 4, 'error rate 20 % vs 1 %')`,
  )
    .bind(deploymentId, NOW - HOUR)
    .run();
  return { p, slug, deploymentId, incident, page: `/dashboard/incidents/${incident}` };
}

const auditOf = async (target: string) =>
  (
    await env.DB.prepare("SELECT action, actor FROM audit_log WHERE target = ? ORDER BY id")
      .bind(target)
      .all<{ action: string; actor: string }>()
  ).results;

const rowOf = (id: string) =>
  env.DB.prepare("SELECT status, resolved_at, acked_at, silenced_until FROM incidents WHERE id = ?")
    .bind(id)
    .first<{
      status: string;
      resolved_at: number | null;
      acked_at: number | null;
      silenced_until: number | null;
    }>();

const updatesOf = async (incident: string) =>
  (
    await env.DB.prepare("SELECT status, body FROM incident_updates WHERE incident_id = ?")
      .bind(incident)
      .all<{ status: string; body: string }>()
  ).results;

describe("dashboard incident page", () => {
  it("shows the timeline, the rule's conditions and its checks during the incident", async () => {
    const { p, page } = await world();
    const reader = await dashboardCookie(p.read);
    const res = await get(page, reader);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-kind="pending"');
    expect(html).toContain('data-kind="firing"');
    expect(html).toContain("Pending for");
    expect(html).toContain("error rate 20 % vs 1 %");
    expect(html).toMatch(/<tr data-outcome="breach">/);
    // A read key sees the incident, not the forms.
    expect(html).not.toContain("/resolve");
  });

  it("acknowledges and silences through its forms, and the timeline names who did it", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    const ack = await post(`${page}/ack`, { csrf, back: page }, admin);
    expect(ack.status).toBe(303);
    expect(ack.headers.get("location")).toBe(`${page}#incident-${incident}`);
    const silence = await post(`${page}/silence`, { csrf, back: page, minutes: "240" }, admin);
    expect(silence.status).toBe(303);
    const row = await rowOf(incident);
    expect(row?.acked_at).not.toBeNull();
    expect(row?.silenced_until).toBeGreaterThan(NOW + 3 * HOUR);
    const html = await (await get(page, admin)).text();
    expect(html).toMatch(/Acknowledged by [^<]*key:key_/);
    expect(html).toMatch(/Silenced until [^<]* by [^<]*key:key_/);
    expect((await auditOf(incident)).map((a) => a.action)).toEqual([
      "incident.ack",
      "incident.silence",
    ]);
  });

  it("resolves with a note: a written resolved update, audited, and the timeline says by whom", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    const res = await post(
      `${page}/resolve`,
      { csrf, back: page, text: "Rolled back prompt v14." },
      admin,
    );
    expect(res.status).toBe(303);
    expect((await rowOf(incident))?.status).toBe("resolved");
    expect(await updatesOf(incident)).toEqual([
      { status: "resolved", body: "Rolled back prompt v14." },
    ]);
    expect((await auditOf(incident)).map((a) => a.action)).toEqual(["incident.update"]);
    const html = await (await get(page, admin)).text();
    expect(html).toMatch(/Resolved by hand by [^<]*key:key_/);
    expect(html).toContain("Rolled back prompt v14.");
    // Resolved, nothing is left to do.
    expect(html).not.toContain(`${page}/resolve`);
  });

  it("resolves without a note through the resolve operation", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    expect((await post(`${page}/resolve`, { csrf, back: page, text: "  " }, admin)).status).toBe(
      303,
    );
    expect((await rowOf(incident))?.status).toBe("resolved");
    expect(await updatesOf(incident)).toEqual([]);
    expect((await auditOf(incident)).map((a) => a.action)).toEqual(["incident.resolve"]);
  });

  it("shows a refused note beside its field, keeps the text and writes nothing (400)", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    const res = await post(`${page}/resolve`, { csrf, back: page, text: "<b>done</b>" }, admin);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/aria-invalid="true"[^>]*aria-describedby="resolve-error"/);
    expect(html).toMatch(/id="resolve-error"[^>]*>The note: plain text only/);
    expect(html).toContain("&lt;b&gt;done&lt;/b&gt;</textarea>");
    expect((await rowOf(incident))?.status).toBe("firing");
    expect(await auditOf(incident)).toEqual([]);
  });

  it("refuses to resolve an incident resolved meanwhile with a clear message (409)", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    // Another admin (or the evaluator) resolves it after this page was loaded.
    await post(`${page}/resolve`, { csrf, back: page }, admin);
    const late = await post(`${page}/ack`, { csrf, back: page }, admin);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("is resolved; there is nothing to acknowledge");
    expect((await auditOf(incident)).map((a) => a.action)).toEqual(["incident.resolve"]);
  });

  it("refuses a read key's post (403), a cross-site post and a missing token, writing nothing", async () => {
    const { p, incident, page } = await world();
    const reader = await dashboardCookie(p.read);
    const readerCsrf = csrfOf(await (await get(page, reader)).text());
    expect((await post(`${page}/resolve`, { csrf: readerCsrf }, reader)).status).toBe(403);
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    expect((await post(`${page}/resolve`, { csrf }, admin, "https://evil.example")).status).toBe(
      403,
    );
    expect((await post(`${page}/resolve`, {}, admin)).status).toBe(403);
    expect((await rowOf(incident))?.status).toBe("firing");
    expect(await auditOf(incident)).toEqual([]);
  });

  it("answers 404 for another project's incident", async () => {
    const { incident } = await world();
    const other = await createProject("dash-incidents-other");
    const res = await get(`/dashboard/incidents/${incident}`, await dashboardCookie(other.read));
    expect(res.status).toBe(404);
  });
});

describe("dashboard incidents list", () => {
  async function listWorld() {
    const p = await createProject("dash-list");
    const a = uniqueSlug("a");
    const b = uniqueSlug("b");
    const depA = await seedDeployment(p.id, a, NOW);
    const depB = await seedDeployment(p.id, b, NOW);
    await seedRelease(depA, "v13", NOW - 20 * 24 * HOUR);
    await seedRelease(depA, "v14", NOW - 3 * HOUR);
    const ids = {
      firingA: uniqueSlug("i"),
      ackedA: uniqueSlug("i"),
      oldV13: uniqueSlug("i"),
      resolvedB: uniqueSlug("i"),
      ancientB: uniqueSlug("i"),
    };
    const base = { projectId: p.id, metric: "error_rate" } as const;
    await seedIncident({
      ...base,
      id: ids.firingA,
      deploymentId: depA,
      severity: "critical",
      status: "firing",
      firingAt: NOW - HOUR,
    });
    await seedIncident({
      ...base,
      id: ids.ackedA,
      deploymentId: depA,
      severity: "warning",
      status: "firing",
      firingAt: NOW - 2 * HOUR,
      ackedAt: NOW - HOUR,
    });
    await seedIncident({
      ...base,
      id: ids.oldV13,
      deploymentId: depA,
      severity: "warning",
      status: "resolved",
      firingAt: NOW - 5 * 24 * HOUR,
      resolvedAt: NOW - 5 * 24 * HOUR + HOUR,
    });
    await seedIncident({
      ...base,
      id: ids.resolvedB,
      deploymentId: depB,
      severity: "critical",
      status: "resolved",
      firingAt: NOW - 10 * HOUR,
      resolvedAt: NOW - 9 * HOUR,
    });
    await seedIncident({
      ...base,
      id: ids.ancientB,
      deploymentId: depB,
      severity: "critical",
      status: "resolved",
      firingAt: NOW - 20 * 24 * HOUR,
      resolvedAt: NOW - 20 * 24 * HOUR + HOUR,
    });
    return { p, a, b, ids, cookie: await dashboardCookie(p.read) };
  }

  const listed = async (query: string, cookie: string) => {
    const res = await get(`/dashboard/incidents${query}`, cookie);
    expect(res.status).toBe(200);
    return [...(await res.text()).matchAll(/<tr data-incident="([^"]+)"/g)].map((m) => m[1]);
  };

  it("lists the last 7 days by default, newest first, and 30 days when asked", async () => {
    const { ids, cookie } = await listWorld();
    expect(await listed("", cookie)).toEqual([ids.firingA, ids.ackedA, ids.resolvedB, ids.oldV13]);
    expect(await listed("?since=30d", cookie)).toContain(ids.ancientB);
    expect(await listed("?since=24h", cookie)).toEqual([ids.firingA, ids.ackedA, ids.resolvedB]);
  });

  it("filters by state, severity and deployment", async () => {
    const { b, ids, cookie } = await listWorld();
    expect(await listed("?state=firing", cookie)).toEqual([ids.firingA]);
    expect(await listed("?state=acknowledged", cookie)).toEqual([ids.ackedA]);
    expect(await listed("?state=open", cookie)).toEqual([ids.firingA, ids.ackedA]);
    expect(await listed("?state=resolved", cookie)).toEqual([ids.resolvedB, ids.oldV13]);
    expect(await listed("?severity=critical", cookie)).toEqual([ids.firingA, ids.resolvedB]);
    expect(await listed(`?deployment=production/${b}`, cookie)).toEqual([ids.resolvedB]);
  });

  it("filters by the release in force when the incident started", async () => {
    const { ids, cookie } = await listWorld();
    expect(await listed("?release=v14", cookie)).toEqual([ids.firingA, ids.ackedA]);
    expect(await listed("?release=V13", cookie)).toEqual([ids.oldV13]);
    expect(await listed("?release=gpt-4o-mini", cookie)).toEqual([
      ids.firingA,
      ids.ackedA,
      ids.oldV13,
    ]);
  });

  it("ignores a value the form does not offer, and says so", async () => {
    const { ids, cookie } = await listWorld();
    const res = await get("/dashboard/incidents?state=bogus&severity=critical", cookie);
    const html = await res.text();
    expect(html).toContain("Ignored (not a value this form offers): state.");
    expect([...html.matchAll(/<tr data-incident="([^"]+)"/g)].map((m) => m[1])).toEqual([
      ids.firingA,
      ids.resolvedB,
    ]);
  });

  it("sends a signed-out visitor to sign in and back", async () => {
    const res = await call("/dashboard/incidents?state=open", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/dashboard?next=${encodeURIComponent("/dashboard/incidents?state=open")}`,
    );
  });
});
