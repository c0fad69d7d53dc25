// The dashboard's probe pages (issue 22 item 7): a browser signed in with a read key opens
// the project's probes and a probe's runs, assertions, answer excerpts and incidents, and a
// probe alert links there instead of to the JSON API. Secrets stay masked, strings escaped.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { runDueProbes } from "../../src/probes/execute";
import { call, createProject, uniqueSlug, waitFor } from "../helpers";
import { get } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

const ai = inject("aiUrl");
const receiver = inject("receiverUrl");
const SECRET = "sk-live-dash0123456789SECRET";

async function createProbe(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await call("/v1/probes", { method: "POST", key, json: body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { probe: { id: string } }).probe.id;
}

const probe = (slug: string, path: string, over: Record<string, unknown> = {}) => ({
  name: path,
  deployment: slug,
  url: `${ai}/ai/${path}`,
  extractor: { type: "json", path: "choices.0.message.content" },
  assertions: [{ type: "icontains", value: "paris" }],
  interval_minutes: 1,
  timeout_ms: 8_000,
  ...over,
});

let minute = Math.floor(Date.now() / 60_000) * 60_000;
const tick = () => {
  minute += 60_000;
  return runDueProbes(env, minute, { maxJitterMs: 0 });
};

describe("dashboard probe pages", () => {
  it("lists the project's probes with their latest outcome and masked URL, and none of another project's", async () => {
    const p = await createProject("dash-probes");
    const other = await createProject("dash-probes-other");
    const slug = uniqueSlug("dp");
    await createProbe(
      p.admin,
      probe(slug, "right", {
        name: "capital <b>question</b>",
        url: `${ai}/ai/right?key=query-secret-4242`,
        secret_headers: { authorization: `Bearer ${SECRET}` },
      }),
    );
    await createProbe(other.admin, probe(uniqueSlug("dp"), "right", { name: "not-mine" }));
    await tick();
    const res = await get("/dashboard/probes", await dashboardCookie(p.read));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const html = await res.text();
    expect(html).toContain("capital &lt;b&gt;question&lt;/b&gt;");
    expect(html).not.toContain("<b>question</b>");
    expect(html).toContain(`/ai/right?key=****`);
    expect(html).toMatch(/data-outcome="pass"/);
    expect(html).toContain(`href="/dashboard/d/production/${slug}"`);
    expect(html).not.toContain("not-mine");
    expect(html).not.toContain("<script");
    for (const secret of ["query-secret-4242", "dash0123456789"])
      expect(html).not.toContain(secret);
  });

  it("opens a probe alert's link at the probe's page: runs, failed assertions with what was observed, the answer's excerpt and the incident", async () => {
    const p = await createProject("dash-probe-alert");
    const slug = uniqueSlug("dpa");
    const hook = `dash-probe-${slug}`;
    const ch = await call("/v1/channels", {
      method: "POST",
      key: p.admin,
      json: { type: "webhook", name: "hook", url: `${receiver}/hook/${hook}` },
    });
    expect(ch.status).toBe(201);
    const id = await createProbe(p.admin, probe(slug, "wrong", { name: "capital" }));
    await tick();
    await tick();
    const [firing] = await waitFor(
      async () =>
        (await (await fetch(`${receiver}/__received/${hook}`)).json()) as { body: string }[],
      (r) => r.length >= 1,
    );
    const body = JSON.parse(firing?.body ?? "{}") as {
      notifications: { dashboard_url: string }[];
    };
    const link = body.notifications[0]?.dashboard_url ?? "";
    const path = new URL(link).pathname;
    expect(path).toBe(`/dashboard/probes/${id}`);

    // Signed out, the link goes through sign-in and back.
    const signedOut = await get(path, "");
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe(`/dashboard?next=${encodeURIComponent(path)}`);

    const cookie = await dashboardCookie(p.read);
    const res = await get(path, cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/data-run="/g)).toHaveLength(2);
    expect(html).toMatch(/data-outcome="fail"/);
    expect(html).toContain(
      '<li data-result="fail"><b>fail</b> contains &quot;paris&quot; (any case)',
    );
    expect(html).toContain("The capital of France is Berlin.");
    expect(html).toMatch(/data-incident="inc_[^"]+"/);
    expect(html).toContain("Firing · critical");
    // The same time labels as a deployment's incident cards, Slack and webhooks.
    expect(html).toMatch(/Firing since \d{1,2} \w{3}, \d{2}:\d{2} UTC/);
    expect(html).toContain(`Probe &quot;capital&quot; failed 2 of its last 2 runs`);
    expect(html).toContain(`href="/dashboard/d/production/${slug}?incident=`);
  });

  it("answers 404 for another project's probe and an unknown one", async () => {
    const p = await createProject("dash-probe-404");
    const other = await createProject("dash-probe-404-other");
    const theirs = await createProbe(other.admin, probe(uniqueSlug("dp4"), "right"));
    const cookie = await dashboardCookie(p.read);
    for (const id of [theirs, "prb_unknown"]) {
      const res = await get(`/dashboard/probes/${id}`, cookie);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Probe not found");
    }
  });
});
