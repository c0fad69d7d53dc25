// Browser tests of the dashboard's breakdowns and rule settings (issue 29): split the error
// rate by model, add a rule and see its preview. Registered by run.mjs; run alone with
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
  test("dashboard settings: split the error rate by model, with JavaScript off", async () => {
    const key = await ingestKey(base, keys, projectId);
    const slug = `split-${Date.now().toString(36)}`;
    const events = Array.from({ length: 10 }, (_, k) => ({
      type: "interaction",
      id: `${slug}-${k}`,
      deployment: slug,
      model: k < 5 ? "model-a" : "model-b",
      status: k < 4 ? "error" : "ok",
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
    } finally {
      await context.close();
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
