// Subscriptions to a public status page (issue 28 item 3): the form works without script,
// a challenge is confirmed before anything else is sent, notifications go through the alert
// outbox signed with Standard Webhooks in Statuspage's shape, every payload carries a working
// unsubscribe link, private addresses and floods are refused, and nothing is sent twice.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { deliver } from "../../src/alerts/delivery/dispatch";
import { sendOutbox } from "../../src/alerts/delivery/outbox";
import { verifyWebhook } from "../../src/alerts/delivery/webhook-sign";
import {
  MAX_SUBSCRIBERS_PER_PAGE,
  MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR,
} from "../../src/alerts/subscribers/subscriber-store";
import { app } from "../../src/app";
import { announcePageEvents } from "../../src/status/subscriptions/announce";
import { type Received, received } from "../alert-fixture";
import { BASE, call, createProject, waitFor } from "../helpers";
import { seedDeployment, seedHours, seedIncident } from "./seed";

const receiver = inject("receiverUrl");
const NOW = Date.now();
const HOUR = 3_600_000;
let n = 0;
const unique = (p: string) => `${p}${NOW.toString(36)}${n++}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than the NOTIFICATIONS consumer's batch window plus a delivery. */
const QUIET_MS = 2_500;

async function statusPage() {
  const p = await createProject("subscribe");
  const slug = unique("sub-");
  const bot = unique("bot");
  const other = unique("oth");
  const botId = await seedDeployment(p.id, bot, NOW);
  const otherId = await seedDeployment(p.id, other, NOW);
  await seedHours(botId, NOW, 3);
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: {
      status_page: {
        slug,
        title: "Acme <AI>",
        deployments: [
          { slug: bot, name: "Support assistant" },
          { slug: other, name: "Search" },
        ],
      },
    },
  });
  expect(res.status).toBe(200);
  return { p, slug, bot, botId, otherId, other };
}

/** A form POST as a browser without script sends it, from the given address. */
function postForm(path: string, fields: [string, string][], ip: string, origin = BASE) {
  return call(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin,
      "cf-connecting-ip": ip,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

const address = () => `203.0.113.${n++ % 250}`;

async function subscribeWebhook(slug: string, hook: string, extra: [string, string][] = []) {
  const res = await postForm(
    `/status/${slug}/subscribe`,
    [["kind", "webhook"], ["url", `${receiver}/hook/${hook}`], ...extra],
    `198.51.100.${n++ % 250}`,
  );
  expect(res.status).toBe(202);
  const html = await res.text();
  const secret = /<code class="secret">(whsec_[^<]+)</.exec(html)?.[1];
  expect(secret).toMatch(/^whsec_/);
  return { html, secret: secret ?? "" };
}

/** What the tests read of a payload (webhook, challenge or Slack). */
interface Payload {
  meta: { unsubscribe: string };
  page: Record<string, unknown>;
  challenge: { confirm_url: string };
  incident: { id: string; impact: string; status: string };
  component_update?: { component_id: string; old_status: string; new_status: string };
  component?: Record<string, unknown>;
  text: string;
}
const bodies = (r: Received[]) => r.map((x) => JSON.parse(x.body) as Payload);

async function challengeOf(hook: string) {
  const got = await waitFor(
    () => received(hook),
    (r) => r.length > 0,
  );
  expect(got).toHaveLength(1);
  return { raw: got[0] as Received, body: bodies(got)[0] as Payload };
}

/** Follows a link as a person does: open it (a page with one button), then press it. */
async function pressLink(url: string) {
  const path = url.replace(/^https?:\/\/[^/]+/, "");
  const page = await call(path);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  expect(action).toBe(path);
  return call(action ?? "", { method: "POST", headers: { origin: BASE } });
}

async function openIncident(projectId: string, deploymentId: string, firingAt = Date.now()) {
  const id = unique("inc_s");
  await seedIncident({
    id,
    projectId,
    deploymentId,
    severity: "critical",
    metric: "thumbs_down_rate",
    status: "firing",
    firingAt,
  });
  // The incident machine's state, as the evaluator writes it (the update route returns it).
  const state = {
    fingerprint: `${deploymentId}|${id}`,
    status: "firing",
    started_at: firingAt - 5 * 60_000,
    firing_at: firingAt,
    resolved_at: null,
    last_notified_at: firingAt,
    last_evaluated_minute: firingAt,
    acked_at: null,
    silenced_until: null,
    last_value: 0.2,
  };
  await env.DB.prepare("UPDATE incidents SET state = ? WHERE id = ?")
    .bind(JSON.stringify(state), id)
    .run();
  return id;
}

async function writeUpdate(p: { admin: string }, incident: string, text: string) {
  const res = await call(`/v1/incidents/${incident}/updates`, {
    method: "POST",
    key: p.admin,
    json: { status: "identified", text },
  });
  expect(res.status).toBe(201);
}

describe("subscribing to a status page", () => {
  it("links a subscribe page from the status page, whose form posts without script", async () => {
    const s = await statusPage();
    const page = await (await call(`/status/${s.slug}`)).text();
    expect(page).toContain(`href="${s.slug}/subscribe"`);
    const form = await call(`/status/${s.slug}/subscribe`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain(`<form method="post" action="/status/${s.slug}/subscribe">`);
    expect(html).not.toContain("<script");
    expect(html).toContain(`value="production/${s.bot}"`);
    expect(html).toContain("Acme &lt;AI&gt;");
    expect((await call("/status/no-such-page/subscribe")).status).toBe(404);
  });

  it("sends a signed challenge, nothing else until confirmed, then a signed update with a working unsubscribe link", async () => {
    const s = await statusPage();
    const hook = unique("sub");
    const { secret } = await subscribeWebhook(s.slug, hook);
    const challenge = await challengeOf(hook);
    expect(
      await verifyWebhook(
        secret,
        challenge.raw.headers as Record<string, string>,
        challenge.raw.body,
      ),
    ).toEqual({ ok: true });
    expect(challenge.body.page).toMatchObject({ id: s.slug, name: "Acme <AI>" });
    expect(challenge.body.challenge.confirm_url).toMatch(/\/confirm\?token=/);
    expect(challenge.body.meta.unsubscribe).toMatch(/\/unsubscribe\?token=/);

    // Before confirmation: an update is written, the tick announces it, nothing is sent.
    const incident = await openIncident(s.p.id, s.botId);
    await writeUpdate(s.p, incident, "Before confirmation");
    expect(await announcePageEvents(env, Date.now())).toBe(0);
    await sleep(QUIET_MS);
    expect(await received(hook)).toHaveLength(1);

    const confirmed = await pressLink(challenge.body.challenge.confirm_url);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Subscribed");

    await writeUpdate(s.p, incident, "We found the prompt change & rolled it back");
    expect(await announcePageEvents(env, Date.now())).toBe(1);
    const got = await waitFor(
      () => received(hook),
      (r) => r.length > 1,
    );
    expect(got).toHaveLength(2);
    const last = got[1] as Received;
    expect(await verifyWebhook(secret, last.headers as Record<string, string>, last.body)).toEqual({
      ok: true,
    });
    const payload = JSON.parse(last.body);
    expect(payload.page).toMatchObject({ id: s.slug, status_indicator: "minor" });
    expect(payload.incident).toMatchObject({ id: incident, status: "identified", impact: "minor" });
    expect(payload.incident.incident_updates[0]).toMatchObject({
      status: "identified",
      body: "We found the prompt change & rolled it back",
    });
    expect(payload.meta.unsubscribe).toBe(challenge.body.meta.unsubscribe);

    const gone = await pressLink(payload.meta.unsubscribe);
    expect(gone.status).toBe(200);
    expect(await gone.text()).toContain("Unsubscribed");
    await writeUpdate(s.p, incident, "After unsubscribing");
    expect(await announcePageEvents(env, Date.now())).toBe(0);
    await sleep(QUIET_MS);
    expect(await received(hook)).toHaveLength(2);
  });

  it("announces an event once however often the tick runs, and a drain sends nothing more", async () => {
    const s = await statusPage();
    const hook = unique("once");
    await subscribeWebhook(s.slug, hook);
    const challenge = await challengeOf(hook);
    expect((await pressLink(challenge.body.challenge.confirm_url)).status).toBe(200);
    const incident = await openIncident(s.p.id, s.botId);
    const at = Date.now();
    const [first, second] = await Promise.all([
      announcePageEvents(env, at),
      announcePageEvents(env, at),
    ]);
    // Two ticks racing write the same rows (ids are the subscriber and the event).
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(await announcePageEvents(env, Date.now())).toBe(0);
    await waitFor(
      () => received(hook),
      (r) => r.length > 2,
    );
    expect(await sendOutbox(env, Date.now())).toBe(0);
    await sleep(QUIET_MS);
    const got = bodies(await received(hook));
    // The incident, and its component's change in Statuspage's component_update shape.
    expect(
      got.map((b) => b.incident?.id ?? b.component_update?.new_status ?? "challenge").sort(),
    ).toEqual(["challenge", "degraded_performance", incident].sort());
    const update = got.find((b) => b.component_update);
    expect(update?.component_update).toMatchObject({
      component_id: `production/${s.bot}`,
      old_status: "operational",
      new_status: "degraded_performance",
    });
    expect(update?.component).toMatchObject({
      id: `production/${s.bot}`,
      name: "Support assistant",
    });
    const { results } = await env.DB.prepare(
      "SELECT status FROM deliveries WHERE channel_id IN (SELECT id FROM status_subscribers WHERE project_id = ?)",
    )
      .bind(s.p.id)
      .all<{ status: string }>();
    expect(results.map((r) => r.status)).toEqual(["delivered", "delivered", "delivered"]);
    // The queue delivering a message again (at least once) sends nothing.
    const row = await env.DB.prepare("SELECT id FROM deliveries WHERE id LIKE ?")
      .bind(`%_${incident}:opened`)
      .first<{ id: string }>();
    expect(await deliver(env, row?.id ?? "", 2)).toMatchObject({ action: "done" });
    await sleep(QUIET_MS);
    expect(await received(hook)).toHaveLength(3);
  });

  it("tells a subscriber of some components only about those, and of maintenance starting and ending", async () => {
    const s = await statusPage();
    const hook = unique("cmp");
    await subscribeWebhook(s.slug, hook, [["component", `production/${s.other}`]]);
    const challenge = await challengeOf(hook);
    await pressLink(challenge.body.challenge.confirm_url);
    await openIncident(s.p.id, s.botId);
    const start = Date.now() + 1_000;
    const res = await call("/v1/maintenances", {
      method: "POST",
      key: s.p.admin,
      json: {
        title: "Index rebuild",
        text: "Slower search.",
        starts_at: start,
        ends_at: start + HOUR,
        deployments: [{ slug: s.other }],
      },
    });
    expect(res.status).toBe(201);
    // The incident on the support bot is not followed; the window starts, then ends.
    expect(await announcePageEvents(env, start + 60_000)).toBe(1);
    expect(await announcePageEvents(env, start + HOUR + 60_000)).toBe(1);
    const got = await waitFor(
      () => received(hook),
      (r) => r.length > 2,
    );
    expect(
      bodies(got)
        .slice(1)
        .map((b) => [b.incident.impact, b.incident.status]),
    ).toEqual([
      ["maintenance", "in_progress"],
      ["maintenance", "completed"],
    ]);
  });

  it("sends Slack subscribers one short message with the links", async () => {
    const s = await statusPage();
    const hook = unique("slk");
    const res = await postForm(
      `/status/${s.slug}/subscribe`,
      [
        ["kind", "slack"],
        ["url", `${receiver}/hook/${hook}`],
      ],
      address(),
    );
    expect(res.status).toBe(202);
    expect(await res.text()).not.toContain("whsec_");
    const [challenge] = bodies(
      await waitFor(
        () => received(hook),
        (r) => r.length > 0,
      ),
    );
    const confirm = /<([^|>]+\/confirm\?token=[^|>]+)\|/.exec(challenge?.text ?? "")?.[1] ?? "";
    expect((await pressLink(confirm)).status).toBe(200);
    const incident = await openIncident(s.p.id, s.botId);
    await writeUpdate(s.p, incident, "Rolled back > watching & checking");
    expect(await announcePageEvents(env, Date.now())).toBe(2);
    const got = bodies(
      await waitFor(
        () => received(hook),
        (r) => r.length > 2,
      ),
    );
    expect(got[2]?.text).toContain("Rolled back &gt; watching &amp; checking");
    expect(got[2]?.text).toMatch(/\|Unsubscribe>$/);
  });
});

describe("subscriptions refused or bounded", () => {
  const production = {
    ...env,
    ENVIRONMENT: "production",
    PUBLIC_URL: "https://status.acme.dev",
  } as Env;
  const postProduction = (slug: string, url: string, kind = "webhook") =>
    app.request(
      `https://status.acme.dev/status/${slug}/subscribe`,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "cf-connecting-ip": address(),
        },
        body: new URLSearchParams({ kind, url }).toString(),
      },
      production,
    );

  it.each([
    ["https://10.0.0.8/hook", /private address \(10\.0\.0\.0\/8\)/],
    ["https://169.254.169.254/latest", /link-local address/],
    ["http://hooks.example.org/x", /must be an https URL/],
    ["https://status.acme.dev/hook", /must not point at this service/],
  ])("refuses %s with a 400 naming why, and keeps what was typed", async (url, why) => {
    const s = await statusPage();
    const res = await postProduction(s.slug, url);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(why);
    expect(html).toContain(`value="${url}"`);
    const row = await env.DB.prepare(
      "SELECT count(*) AS n FROM status_subscribers WHERE project_id = ?",
    )
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });

  it("refuses a Slack subscription to anything but an incoming webhook URL outside development", async () => {
    const s = await statusPage();
    const res = await postProduction(s.slug, "https://example.com/services/x", "slack");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("must be a Slack incoming webhook URL");
  });

  it("refuses a post from another site's page, and a component not on the page", async () => {
    const s = await statusPage();
    const foreign = await postForm(
      `/status/${s.slug}/subscribe`,
      [
        ["kind", "webhook"],
        ["url", `${receiver}/hook/x`],
      ],
      address(),
      "https://evil.example",
    );
    expect(foreign.status).toBe(403);
    const bad = await postForm(
      `/status/${s.slug}/subscribe`,
      [
        ["kind", "webhook"],
        ["url", `${receiver}/hook/x`],
        ["component", "production/nope"],
      ],
      address(),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("is not on this page");
  });

  it(`bounds one address to ${MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR} subscriptions an hour, and refuses a URL already subscribed`, async () => {
    const s = await statusPage();
    const ip = "192.0.2.77";
    const statuses: number[] = [];
    for (let k = 0; k <= MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR; k++) {
      const res = await postForm(
        `/status/${s.slug}/subscribe`,
        [
          ["kind", "webhook"],
          ["url", `${receiver}/hook/${unique("fl")}`],
        ],
        ip,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR).fill(202), 429]);
    const hook = unique("dup");
    await subscribeWebhook(s.slug, hook);
    const again = await postForm(
      `/status/${s.slug}/subscribe`,
      [
        ["kind", "webhook"],
        ["url", `${receiver}/hook/${hook}`],
      ],
      address(),
    );
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already subscribed");
  });

  it(`holds at most ${MAX_SUBSCRIBERS_PER_PAGE} subscribers per page`, async () => {
    const s = await statusPage();
    const now = Date.now();
    await env.DB.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?2)
       INSERT INTO status_subscribers (id, project_id, kind, url, secret, token, components, status, address_hash, created_at, confirmed_at, updated_at)
       SELECT 'sub_full' || ?1 || i, ?1, 'webhook', 'https://example.com/' || i, NULL, 't' || i, NULL, 'active', 'h' || i, ?3, ?3, ?3 FROM k`,
    )
      .bind(s.p.id, MAX_SUBSCRIBERS_PER_PAGE, now - 2 * HOUR)
      .run();
    const res = await postForm(
      `/status/${s.slug}/subscribe`,
      [
        ["kind", "webhook"],
        ["url", `${receiver}/hook/${unique("full")}`],
      ],
      address(),
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("all the subscribers it can take");
  });

  it("answers 404 for a link with a wrong token, and 410 for a confirmation that lapsed", async () => {
    const s = await statusPage();
    const hook = unique("lap");
    await subscribeWebhook(s.slug, hook);
    const challenge = await challengeOf(hook);
    const url: string = challenge.body.challenge.confirm_url;
    const path = url.replace(/^https?:\/\/[^/]+/, "");
    expect((await call(path.replace(/token=.*/, "token=wrong"))).status).toBe(404);
    await env.DB.prepare(
      "UPDATE status_subscribers SET created_at = created_at - 25 * 3600000 WHERE project_id = ?",
    )
      .bind(s.p.id)
      .run();
    const res = await call(path, { method: "POST" });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("lapsed");
  });
});
