// End-to-end tests in headless Chromium (Debian's package, driven by playwright-core)
// against the Worker under `wrangler dev` with seeded data (test/e2e/seed.mjs). Part of
// `npm test`. Writes screenshots to test/e2e/screenshots/ (git-ignored).
//   node test/e2e/run.mjs            all tests
//   E2E_PORT=8815 CHROMIUM=/usr/bin/chromium   overrides
//   E2E_ONLY="dashboard ops"   only the tests whose name contains it
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { dashboardOpsTests } from "./dashboard-ops.mjs";
import { dashboardSettingsTests } from "./dashboard-settings.mjs";
import { dashboardSpendTests } from "./dashboard-spend.mjs";
import { ensureChromium } from "./ensure-chromium.mjs";
import { checkProtobufExporter } from "./otlp-exporters.mjs";
import { E2E_KEYS, e2eWorld } from "./seed.mjs";
import { startSeededWorker } from "./seeded-worker.mjs";
import { checkStatusJson, checkSummaryJson, MaintenancesSchema } from "./statuspage-shape.mjs";
import { subscribeTests } from "./subscribe.mjs";

const EXECUTABLE = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PORT = Number(process.env.E2E_PORT ?? 8815);
const SHOTS = join(import.meta.dirname, "screenshots");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

ensureChromium(EXECUTABLE);
mkdirSync(SHOTS, { recursive: true });

const started = Date.now();
const now = Date.now();
const worker = await startSeededWorker({ port: PORT, world: e2eWorld(now), now });
const { base } = worker;
// A fresh profile directory per run: nothing carries over between runs.
const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
console.log(`e2e: worker and Chromium up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

/** A browser context; JavaScript off unless asked, since every page must work without it. */
async function open(options = {}) {
  const context = await browser.newContext({ javaScriptEnabled: false, ...options });
  const page = await context.newPage();
  return { context, page };
}

const stateOf = (page, selector) => page.locator(selector).getAttribute("data-state");

test("status page: states, bars and incidents render as derived, with JavaScript off", async () => {
  const { context, page } = await open({ viewport: { width: 1100, height: 900 } });
  const res = await page.goto(`${base}/status/acme`);
  assert.equal(res.status(), 200);
  assert.equal(await page.locator("h1").textContent(), "Acme AI");
  // A critical thumbs-down incident degrades the service; only failing answers are an outage.
  assert.equal(await stateOf(page, ".banner"), "degraded");
  assert.equal(await page.locator(".banner strong").textContent(), "Some answers are degraded");
  const cards = page.locator("li.card");
  assert.equal(await cards.count(), 4);
  const states = [];
  for (let k = 0; k < 4; k++) {
    states.push([
      await cards.nth(k).locator("h3").textContent(),
      (await cards.nth(k).locator(".state").getAttribute("class")).replace("state ", ""),
    ]);
  }
  assert.deepEqual(states, [
    ["Support assistant", "degraded"],
    ["Search answers", "operational"],
    ["Document summaries", "mnt"],
    ["Translation", "no_data"],
  ]);
  // Today's bar of the support bot names the incident; the search's bar of 3 days ago too.
  const today = await cards.nth(0).locator(".bars i").last().getAttribute("title");
  assert.match(today, /Degraded: More users unhappy with answers$/);
  // Printed, the bars keep their colours: backgrounds, unlike the SVG fills they were, are
  // dropped from prints by default.
  const adjust = await cards
    .nth(0)
    .locator(".bars i")
    .first()
    .evaluate((e) => getComputedStyle(e).printColorAdjust);
  assert.equal(adjust, "exact");
  const searchBars = cards.nth(1).locator(".bars i");
  const searchTitles = [];
  for (let k = 0; k < (await searchBars.count()); k++) {
    searchTitles.push(await searchBars.nth(k).getAttribute("title"));
  }
  assert.ok(
    searchTitles.some((t) => /Degraded: Slower answers$/.test(t)),
    searchTitles.join("\n"),
  );
  const openCard = page.locator("article.card[data-impact]");
  assert.equal(await openCard.count(), 1);
  assert.equal(await openCard.locator("h3").textContent(), "More users unhappy with answers");
  assert.match(await openCard.textContent(), /prompt v13 → v14/);
  const resolved = page.locator(".past > ul > li");
  assert.equal(await resolved.count(), 1);
  // One line, then the update the team wrote on it.
  assert.match(
    await resolved.textContent(),
    /^Slower answers · Search answers · \d\d:\d\d–\d\d:\d\d · after model gpt-4o-mini → gpt-4\.1-mini\d\d:\d\dIdentified A slower model region/,
  );
  await page.screenshot({ path: join(SHOTS, "status-light.png"), fullPage: true });
  await context.close();
});

test("status page: dark mode and 360 px wide", async () => {
  const dark = await open({ viewport: { width: 1100, height: 900 }, colorScheme: "dark" });
  await dark.page.goto(`${base}/status/acme`);
  await dark.page.screenshot({ path: join(SHOTS, "status-dark.png"), fullPage: true });
  await dark.context.close();
  const js = await open({
    viewport: { width: 360, height: 800 },
    colorScheme: "dark",
    javaScriptEnabled: true,
  });
  await js.page.goto(`${base}/status/acme`);
  const colour = await js.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(colour, "rgb(14, 17, 22)");
  const overflow = await js.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow} px wide at 360 px`);
  await js.context.close();
  const narrow = await open({ viewport: { width: 360, height: 800 } });
  await narrow.page.goto(`${base}/status/acme`);
  await narrow.page.screenshot({ path: join(SHOTS, "status-360.png"), fullPage: true });
  await narrow.context.close();
});

test("status page: German and Japanese readers get their words, readable at 360 px", async () => {
  for (const [locale, banner] of [
    ["de-DE", "Einige Antworten sind beeinträchtigt"],
    ["ja-JP", "一部の回答の品質が低下しています"],
  ]) {
    const { context, page } = await open({ viewport: { width: 360, height: 800 }, locale });
    await page.goto(`${base}/status/acme`);
    assert.equal(await page.locator(".banner strong").textContent(), banner);
    // A banner that wraps keeps its dot on its first line, never alone above it.
    const dot = await page.locator(".banner .dot").boundingBox();
    const words = await page.locator(".banner strong").boundingBox();
    assert.ok(dot.y >= words.y && dot.y < words.y + 24, JSON.stringify({ dot, words }));
    // The longest words still fit: nothing is wider than the screen.
    const wide = await page
      .locator("body *")
      .evaluateAll((els) =>
        els
          .filter((e) => e.getBoundingClientRect().right > 360.5)
          .map((e) => e.outerHTML.slice(0, 80)),
      );
    assert.deepEqual(wide, []);
    await page.screenshot({
      path: join(SHOTS, `status-360-${locale.slice(0, 2)}.png`),
      fullPage: true,
    });
    await context.close();
  }
});

test("status page: maintenance announced ahead of time and shown while it runs, with JavaScript off", async () => {
  const { context, page } = await open({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${base}/status/acme`);
  const windows = page.locator("section[aria-labelledby=maintenance] article");
  assert.equal(await page.locator("#maintenance").textContent(), "Scheduled maintenance");
  assert.deepEqual(
    [
      await windows.nth(0).getAttribute("data-phase"),
      await windows.nth(1).getAttribute("data-phase"),
    ],
    ["in_progress", "scheduled"],
  );
  assert.match(
    await windows.nth(0).textContent(),
    /Summarizer model upgradeIn progress.*Document summaries/,
  );
  assert.match(
    await windows.nth(1).textContent(),
    /Search index migrationScheduled.*Search answers/,
  );
  assert.equal(
    await page
      .locator("li.card", { hasText: "Document summaries" })
      .locator(".state")
      .textContent(),
    "Under maintenance",
  );
  await context.close();
  const upcoming = MaintenancesSchema.parse(
    await (await fetch(`${base}/status/acme/scheduled-maintenances/upcoming.json`)).json(),
  );
  assert.deepEqual(
    upcoming.scheduled_maintenances.map((m) => [m.id, m.status]),
    [["mnt_e2e_ahead", "scheduled"]],
  );
  const active = MaintenancesSchema.parse(
    await (await fetch(`${base}/status/acme/scheduled-maintenances/active.json`)).json(),
  );
  assert.deepEqual(
    active.scheduled_maintenances.map((m) => [m.id, m.status]),
    [["mnt_e2e_now", "in_progress"]],
  );
});

test("status page: an unknown page is a 404 HTML page", async () => {
  const { context, page } = await open();
  const res = await page.goto(`${base}/status/nope`);
  assert.equal(res.status(), 404);
  assert.equal(await page.locator("h1").textContent(), "Status page not found");
  await context.close();
});

test("summary.json and status.json validate against the Statuspage v2 shape", async () => {
  const summary = await (await fetch(`${base}/status/acme/summary.json`)).json();
  checkSummaryJson(summary);
  assert.equal(summary.status.indicator, "minor");
  assert.deepEqual(
    summary.components.map((c) => [c.name, c.status]),
    [
      ["Support assistant", "degraded_performance"],
      ["Search answers", "operational"],
      ["Document summaries", "under_maintenance"],
      ["Translation", "operational"],
    ],
  );
  assert.equal(summary.incidents.length, 1);
  assert.equal(summary.incidents[0].status, "investigating");
  checkStatusJson(await (await fetch(`${base}/status/acme/status.json`)).json());
});

test("a written incident update shows on the page, in the feed and in incidents.json", async () => {
  const text = "A slower model region; traffic moved back. p95 < 1 s again.";
  const { context, page } = await open();
  await page.goto(`${base}/status/acme`);
  assert.equal(
    await page.locator("#u-upd_e2e_latency").textContent(),
    `${await page.locator("#u-upd_e2e_latency time").textContent()}Identified ${text}`,
  );
  await context.close();
  const xml = await (await fetch(`${base}/status/acme/feed.atom`)).text();
  assert.ok(xml.includes("p95 &lt; 1 s again."), "the feed escapes the update's text");
  const all = await (await fetch(`${base}/status/acme/incidents.json`)).json();
  const latency = all.incidents.find((i) => i.id === "inc_e2e_latency");
  assert.deepEqual(
    latency.incident_updates.map((u) => [u.status, u.id === "upd_e2e_latency" ? u.body : ""]),
    [
      ["resolved", ""],
      ["identified", text],
      ["identified", ""],
      ["investigating", ""],
    ],
  );
});

test("feed.atom parses as Atom in the browser, one entry per incident and written update", async () => {
  const xml = await (await fetch(`${base}/status/acme/feed.atom`)).text();
  const { context, page } = await open({ javaScriptEnabled: true });
  await page.goto(`${base}/status/acme`);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "application/xml");
    const ns = "http://www.w3.org/2005/Atom";
    const entries = [...doc.getElementsByTagNameNS(ns, "entry")];
    return {
      error: doc.getElementsByTagName("parsererror").length,
      root: `${doc.documentElement.namespaceURI} ${doc.documentElement.localName}`,
      feed: ["id", "title", "updated"].map(
        (n) => doc.documentElement.getElementsByTagNameNS(ns, n).length > 0,
      ),
      entries: entries.map((e) =>
        ["id", "title", "updated"].every((n) => e.getElementsByTagNameNS(ns, n)[0]?.textContent),
      ),
      updated: entries.map(
        (e) =>
          !Number.isNaN(Date.parse(e.getElementsByTagNameNS(ns, "updated")[0]?.textContent ?? "")),
      ),
    };
  }, xml);
  assert.deepEqual(parsed, {
    error: 0,
    root: "http://www.w3.org/2005/Atom feed",
    feed: [true, true, true],
    entries: [true, true, true],
    updated: [true, true, true],
  });
  await context.close();
});

test("badge.svg renders as an image", async () => {
  const { context, page } = await open({ javaScriptEnabled: true });
  await page.setContent(
    `<img id="b" src="${base}/status/acme/badge.svg?deployment=production/search">`,
  );
  await page.waitForFunction(() => document.getElementById("b").complete);
  const width = await page.evaluate(() => document.getElementById("b").naturalWidth);
  assert.ok(width > 80, `badge is ${width} px wide`);
  await context.close();
});

async function signIn(page, key) {
  await page.goto(`${base}/dashboard`);
  await page.fill("#key", key);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/dashboard/);
}

subscribeTests(test, { base, open, keys: E2E_KEYS });

test("dashboard: sign in, acknowledge an incident and sign out, with JavaScript off", async () => {
  const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
  await signIn(page, E2E_KEYS.admin);
  const cookies = await context.cookies();
  assert.equal(cookies.length, 1);
  assert.equal(cookies[0].httpOnly, true);
  assert.equal(cookies[0].sameSite, "Strict");
  assert.ok(!cookies[0].value.includes(E2E_KEYS.admin));
  assert.equal(await page.locator("h1").textContent(), "Deployments");
  assert.equal(await stateOf(page, "section.dep >> nth=0 >> .state"), "degraded");
  await page.screenshot({ path: join(SHOTS, "dashboard-overview.png"), fullPage: true });
  await page.click("text=support-bot");
  await page.waitForURL(/\/dashboard\/d\/production\/support-bot/);
  const charts = await page.locator("figure.chart").count();
  assert.ok(charts >= 10, `${charts} charts`);
  assert.equal(await page.locator("figure.chart .flag", { hasText: "prompt v14" }).count(), charts);
  const checks = await page.locator("tr[data-outcome=breach]").count();
  assert.equal(checks, 2);
  const card = page.locator("#incident-inc_e2e_open");
  assert.match(await card.locator(".pill").textContent(), /Firing/);
  await card.locator("button", { hasText: "Acknowledge" }).click();
  await page.waitForURL(/#incident-inc_e2e_open$/);
  assert.match(await page.locator("#incident-inc_e2e_open .pill").textContent(), /Acknowledged/);
  assert.equal(
    await page.locator("#incident-inc_e2e_open button", { hasText: "Acknowledge" }).count(),
    0,
  );
  await page.click("text=Sign out");
  await page.waitForURL(`${base}/dashboard`);
  assert.equal(await page.locator("#key").count(), 1);
  assert.equal((await context.cookies()).length, 0);
  await context.close();
});

test("dashboard: a read key sees incidents without admin buttons", async () => {
  const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
  await signIn(page, E2E_KEYS.read);
  await page.goto(`${base}/dashboard/d/production/support-bot`);
  assert.equal(await page.locator("#incident-inc_e2e_open").count(), 1);
  assert.equal(await page.locator("form[action*='/incidents/']").count(), 0);
  assert.equal(await page.locator("button", { hasText: "Silence" }).count(), 0);
  await context.close();
});

test("dashboard: an alert link opens the incident and its chart (screenshots)", async () => {
  for (const [name, options] of [
    ["dashboard-deployment", { viewport: { width: 1280, height: 1000 } }],
    ["dashboard-deployment-dark", { viewport: { width: 1280, height: 1000 }, colorScheme: "dark" }],
    ["dashboard-360", { viewport: { width: 360, height: 800 } }],
  ]) {
    const { context, page } = await open(options);
    // Signed out, the link leads through sign-in back to the page it names.
    await page.goto(`${base}/dashboard/d/production/search?incident=inc_e2e_latency#alert`);
    await page.fill("#key", E2E_KEYS.read);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/search\?incident=inc_e2e_latency/);
    const focus = page.locator("#alert");
    assert.equal(await focus.locator("#incident-inc_e2e_latency").count(), 1);
    assert.equal(await focus.locator("#chart-latency").count(), 1);
    await page.goto(`${base}/dashboard/d/production/support-bot?range=7d&incident=inc_e2e_open`);
    assert.equal(await page.locator("#alert #chart-thumbs_down_rate .flag").count(), 1);
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: name !== "dashboard-360" });
    await context.close();
  }
});

test("API reference: /docs renders under its CSP, loading scripts from this origin only", async () => {
  const { context, page } = await open({ javaScriptEnabled: true });
  const problems = [];
  const origins = new Set();
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("request", (r) => origins.add(new URL(r.url()).origin));
  const res = await page.goto(`${base}/docs`, { waitUntil: "networkidle" });
  assert.equal(res.status(), 200);
  assert.match(res.headers()["content-security-policy"], /script-src [^;]*\/docs\/assets\/;/);
  await page.getByText("Liveness: answers without touching storage").first().waitFor();
  assert.deepEqual([...origins], [base]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("OTLP: the Node protobuf exporter lands spans in the window, plain and gzipped", () =>
  checkProtobufExporter(base, E2E_KEYS, e2eWorld(now).projectId));

dashboardOpsTests(test, { base, open, signIn, keys: E2E_KEYS, shots: SHOTS });
dashboardSpendTests(test, { base, open, signIn, keys: E2E_KEYS, shots: SHOTS });
dashboardSettingsTests(test, {
  base,
  open,
  signIn,
  keys: E2E_KEYS,
  shots: SHOTS,
  projectId: e2eWorld(now).projectId,
});

const only = process.env.E2E_ONLY;
const chosen = only ? tests.filter((t) => t.name.includes(only)) : tests;
let failed = 0;
try {
  for (const t of chosen) {
    const t0 = Date.now();
    try {
      await t.fn();
      console.log(`  ✓ ${t.name} (${Date.now() - t0} ms)`);
    } catch (error) {
      failed++;
      console.log(`  ✗ ${t.name}\n${error.stack ?? error}`);
    }
  }
} finally {
  await browser.close();
  await worker.stop();
}
console.log(
  `e2e: ${chosen.length - failed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test/e2e/screenshots/`,
);
process.exit(failed ? 1 : 0);
