// Browser tests of the dashboard's breakdowns and rule settings (issue 29): split the error
// rate and the latency by model, add a rule and see its preview. Registered by run.mjs; run alone with
// E2E_ONLY="dashboard settings" node test/e2e/run.mjs.
import assert from "node:assert/strict";
import { join } from "node:path";

async function ingestKey(base, keys, projectId) {
  const res = await fetch(`${base}/v1/projects/${projectId}/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.admin}`, "content-type": "application/json" },
    body: JSON.stringify({ scopes: ["ingest"] }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).key.secret;
}

export function dashboardSettingsTests(test, { base, open, signIn, keys, shots, projectId }) {
  test("dashboard settings: split the error rate and the latency by model, with JavaScript off", async () => {
    const key = await ingestKey(base, keys, projectId);
    const slug = `split-${Date.now().toString(36)}`;
    const events = Array.from({ length: 10 }, (_, k) => ({
      type: "interaction",
      id: `${slug}-${k}`,
      deployment: slug,
      model: k < 5 ? "model-a" : "model-b",
      status: k < 4 ? "error" : "ok",
      latency_ms: k < 5 ? 400 : 100,
    }));
    const res = await fetch(`${base}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    assert.equal(res.status, 202);
    const { context, page } = await open({ viewport: { width: 1280, height: 1000 } });
    try {
      await signIn(page, keys.read);
      await page.goto(`${base}/dashboard/d/production/${slug}`);
      await page.click("a:has-text('Breakdowns')");
      await page.selectOption("select[name=by]", "model");
      await page.selectOption("select[name=metric]", "error_rate");
      await page.selectOption("select[name=range]", "1h");
      await page.click("button:has-text('Show')");
      await page.waitForURL(/breakdown\?by=model&metric=error_rate&range=1h/);
      assert.equal(await page.locator("[data-breakdown=model] figure").count(), 2);
      assert.match(await page.locator("tr[data-value=model-a]").textContent(), /80\.00 %/);
      assert.match(await page.locator("tr[data-value=model-b]").textContent(), /0\.00 %/);
      await page.screenshot({ path: join(shots, "dashboard-breakdown.png"), fullPage: true });
      // A distribution is split by each model's geometric mean (no quantile per segment).
      await page.selectOption("select[name=metric]", "latency_ms");
      await page.click("button:has-text('Show')");
      await page.waitForURL(/breakdown\?by=model&metric=latency_ms&range=1h/);
      assert.match(await page.locator("h1").textContent(), /latency \(geometric mean\) by model/);
      assert.match(await page.locator("tr[data-value=model-a]").textContent(), /400 ms/);
      assert.match(await page.locator("tr[data-value=model-b]").textContent(), /100 ms/);
    } finally {
      await context.close();
    }
    // Pinned as the baseline, the same traffic is the band behind the charts (360 px, dark).
    const pinned = await fetch(`${base}/v1/deployments/production/${slug}/baselines`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ from: Date.now() - 3_600_000, to: Date.now() + 60_000 }),
    });
    assert.equal(pinned.status, 201);
    const dark = await open({ viewport: { width: 360, height: 800 }, colorScheme: "dark" });
    try {
      await signIn(dark.page, keys.read);
      await dark.page.goto(`${base}/dashboard/d/production/${slug}?range=1h#charts`);
      const band = dark.page.locator("#chart-latency rect.bl");
      assert.equal(await band.count(), 1);
      // p95 of the latencies: 400 ms, within the sketch's 1 %.
      assert.ok(Math.abs(Number(await band.getAttribute("data-hi")) / 400 - 1) < 0.01);
      assert.equal(await dark.page.locator("#chart-error_rate rect.bl").count(), 1);
      await dark.page.locator("#chart-latency").screenshot({
        path: join(shots, "dashboard-band-360-dark.png"),
      });
    } finally {
      await dark.context.close();
    }
  });

  test("dashboard settings: add a rule and see its preview, with JavaScript off", async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 1000 } });
    try {
      await signIn(page, keys.admin);
      await page.click("nav >> text=Rules");
      await page.waitForURL(`${base}/dashboard/settings/rules`);
      // A threshold the test refuses first: shown beside its field, nothing saved.
      const before = await page.locator("article[data-rule]").count();
      await page.fill("#new-name", "Errors over 30 %");
      await page.fill("#new-metric", "error_rate");
      await page.selectOption("#new-test", "static");
      await page.fill("#new-threshold", "0.3");
      await page.selectOption("#new-direction", "both");
      await page.click("button:has-text('Create rule')");
      assert.match(await page.locator("#new-direction-error").textContent(), /static threshold/);
      assert.equal(await page.locator("article[data-rule]").count(), before);
      await page.selectOption("#new-direction", "up");
      await page.selectOption("#new-range", "7d");
      await page.click("form[action='/dashboard/settings/rules'] button:has-text('Preview')");
      assert.match(
        await page.locator("#preview-title").textContent(),
        /Preview: the new rule as typed, last 7d/,
      );
      assert.ok((await page.locator("[data-preview-deployment]").count()) > 0);
      assert.equal(await page.locator("article[data-rule]").count(), before, "nothing saved");
      await page.click("button:has-text('Create rule')");
      await page.waitForURL(/done=created/);
      const card = page.locator("article[data-rule]", { hasText: "Errors over 30 %" });
      assert.equal(await card.count(), 1);
      await card.locator("a:has-text('preview 24 h')").click();
      assert.match(
        await page.locator("#preview-title").textContent(),
        /Errors over 30 %, last 24h/,
      );
      await page.screenshot({ path: join(shots, "dashboard-rules.png"), fullPage: false });
    } finally {
      await context.close();
    }
  });
}
