// Browser tests of working Driftwatch from the dashboard (issue 29): the incidents list's
// filters and an incident's page, resolved with a note. Registered by run.mjs; run alone
// with E2E_ONLY="dashboard ops" node test/e2e/run.mjs.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";

/** A local webhook receiver: the bodies it got. */
async function receiver() {
  const bodies = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      bodies.push(body);
      res.end("ok");
    });
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${server.address().port}/hook`;
  return { url, bodies, close: () => new Promise((done) => server.close(done)) };
}

export function dashboardOpsTests(test, { base, open, signIn, keys, shots }) {
  test("dashboard ops: create a channel and send a test, with JavaScript off", async () => {
    const hook = await receiver();
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, keys.admin);
      await page.click("nav >> text=Channels");
      await page.waitForURL(`${base}/dashboard/settings/channels`);
      // An invalid URL first: the error shows beside the field, nothing is created.
      await page.selectOption("#new-type", "webhook");
      await page.fill("#new-name", "On-call hook");
      await page.fill("#new-url", "ftp://nowhere");
      await page.click("button:has-text('Create channel')");
      assert.match(await page.locator("#new-url-error").textContent(), /http\(s\) URL/);
      assert.equal(await page.locator("article[data-channel]").count(), 0);
      await page.fill("#new-url", hook.url);
      await page.click("button:has-text('Create channel')");
      assert.match(await page.locator("#created-secret").textContent(), /^whsec_/);
      const card = page.locator("article[data-channel]", { hasText: "On-call hook" });
      await card.locator("button:has-text('Send test')").click();
      await page.waitForURL(/sent=/);
      assert.match(await page.locator(".flash").textContent(), /Test notification queued/);
      const deadline = Date.now() + 30_000;
      while (hook.bodies.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(hook.bodies.length, 1, "the receiver got the test notification");
      await page.screenshot({ path: join(shots, "dashboard-channels.png"), fullPage: true });
    } finally {
      await context.close();
      await hook.close();
    }
  });

  test("dashboard ops: create a key and rotate it, with JavaScript off", async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, keys.admin);
      await page.click("nav >> text=Keys");
      await page.waitForURL(`${base}/dashboard/settings/keys`);
      // A restricted admin key first: refused beside its field, nothing created.
      const before = await page.locator("article[data-key]").count();
      await page.fill("#new-name", "CI deploys");
      await page.uncheck("input[name=scope_ingest]");
      await page.check("input[name=scope_admin]");
      await page.fill("#new-allowed_origins", "https://ci.example");
      await page.click("button:has-text('Create key')");
      assert.match(
        await page.locator("#new-allowed_origins-error").textContent(),
        /only an ingest-only key/,
      );
      assert.equal(await page.locator("article[data-key]").count(), before);
      await page.fill("#new-allowed_origins", "");
      await page.click("button:has-text('Create key')");
      const first = await page.locator("#created-secret").textContent();
      assert.match(first, /^dw_admin_/);
      const card = page.locator("article[data-key]", { hasText: "CI deploys" });
      await card.locator("button:has-text('Rotate')").click();
      assert.match(await page.locator(".flash").textContent(), /Key 'CI deploys' rotated/);
      const second = await page.locator("#created-secret").textContent();
      assert.match(second, /^dw_admin_/);
      assert.notEqual(second, first);
      // Both work until the old one is revoked: the new key is a second "CI deploys" card.
      const cards = page.locator("article[data-key]", { hasText: "CI deploys" });
      assert.equal(await cards.count(), 2);
      for (const secret of [first, second]) {
        const res = await fetch(`${base}/v1/deployments`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        assert.equal(res.status, 200, "the key is accepted");
      }
      await page.screenshot({ path: join(shots, "dashboard-keys.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  test("dashboard ops: the 1-hour chart at an incident draws its threshold line", async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, keys.read);
    await page.goto(`${base}/dashboard/incidents/inc_e2e_open`);
    await page.click("article >> text=chart");
    await page.waitForURL(/range=1h&incident=inc_e2e_open#alert$/);
    assert.equal(
      await page.locator("h2#charts").textContent(),
      "Quality over the last hour, per minute",
    );
    const chart = page.locator("#alert #chart-thumbs_down_rate");
    assert.equal(await chart.locator("path.lv.threshold").count(), 1);
    assert.equal(await chart.locator("path.lv.baseline").count(), 1);
    assert.match(await chart.locator("[data-level=threshold]").textContent(), /^threshold \d/);
    assert.equal(await chart.locator("rect.band.focus").count(), 1);
    await page.screenshot({ path: join(shots, "dashboard-minute-chart.png"), fullPage: false });
    await context.close();
  });

  test("dashboard ops: a refused note shows beside its field, with JavaScript on", async () => {
    const { context, page } = await open({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: true,
    });
    await signIn(page, keys.admin);
    await page.goto(`${base}/dashboard/incidents/inc_e2e_open`);
    await page.fill("#resolve-text", "<b>fixed</b>");
    await page.click("button:has-text('Resolve')");
    await page.waitForSelector("#resolve-error");
    assert.match(await page.locator("#resolve-error").textContent(), /plain text only/);
    assert.equal(await page.locator("#resolve-text").getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("#resolve-text").inputValue(), "<b>fixed</b>");
    // Still open (the acknowledge test before may have acknowledged it).
    assert.match(
      await page.locator("#incident-inc_e2e_open .pill").textContent(),
      /Firing|Acknowledged/,
    );
    await context.close();
  });

  test("dashboard ops: filter the incidents and resolve one with a note, with JavaScript off", async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    await signIn(page, keys.admin);
    await page.click("nav >> text=Incidents");
    await page.waitForURL(`${base}/dashboard/incidents`);
    await page.selectOption("select[name=state]", "open");
    await page.click("button:has-text('Filter')");
    await page.waitForURL(/state=open/);
    const rows = page.locator("tr[data-incident]");
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.incident)), [
      "inc_e2e_open",
    ]);
    await page.click("tr[data-incident=inc_e2e_open] a");
    await page.waitForURL(/\/dashboard\/incidents\/inc_e2e_open$/);
    const kinds = await page
      .locator(".timeline li")
      .evaluateAll((lis) => lis.map((li) => li.dataset.kind));
    assert.deepEqual(kinds.slice(0, 2), ["pending", "firing"]);
    assert.ok(!kinds.includes("resolved"), kinds.join());
    await page.fill("#resolve-text", "Rolled back to prompt v13; thumbs-down back at 6 %.");
    await page.click("button:has-text('Resolve')");
    await page.waitForURL(/\/dashboard\/incidents\/inc_e2e_open#incident-inc_e2e_open$/);
    assert.match(await page.locator("#incident-inc_e2e_open .pill").textContent(), /Resolved/);
    const resolved = page.locator(".timeline li[data-kind=resolved]");
    assert.match(await resolved.textContent(), /Resolved by hand by .*key:/);
    // The last note: the subscription test (test/e2e/subscribe.mjs) wrote an update before.
    const note = page.locator(".timeline li[data-kind=note]").last();
    assert.match(
      await note.textContent(),
      /Resolved Rolled back to prompt v13; thumbs-down back at 6 %\./,
    );
    assert.equal(await page.locator("button:has-text('Resolve')").count(), 0);
    await page.screenshot({ path: join(shots, "dashboard-incident.png"), fullPage: true });
    await context.close();
  });
}
