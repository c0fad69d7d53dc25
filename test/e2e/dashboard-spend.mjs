// Browser test of the dashboard's Spend page (issue 26): a budget set through the API shows
// its forecast cone, and the page fits a 360 px screen in dark mode with JavaScript off.
// Registered by run.mjs; run alone with E2E_ONLY="dashboard spend" node test/e2e/run.mjs.
import assert from "node:assert/strict";
import { join } from "node:path";

export function dashboardSpendTests(test, { base, open, signIn, keys, shots }) {
  test("dashboard spend: a budget's cone and the breakdowns fit 360 px in dark mode, with JavaScript off", async () => {
    const res = await fetch(`${base}/v1/budgets`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.admin}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "e2e month",
        amount_usd: 500,
        period: "month",
        scope: { type: "project" },
      }),
    });
    assert.equal(res.status, 201);
    const { budget } = await res.json();
    const { context, page } = await open({
      viewport: { width: 360, height: 800 },
      colorScheme: "dark",
    });
    try {
      await signIn(page, keys.read);
      await page.click("nav >> text=Spend");
      await page.waitForURL(`${base}/dashboard/spend`);
      const card = page.locator(`#budget-${budget.id}`);
      assert.match(await card.locator("h3").textContent(), /e2e month/);
      assert.equal(await card.locator("svg polygon").count(), 1);
      // The cone is drawn in the dark palette's accent (#86a6ff), on the dark background.
      const fill = await card.locator("svg polygon").evaluate((el) => getComputedStyle(el).fill);
      assert.equal(fill, "rgb(134, 166, 255)");
      // Nothing wider than the screen: the page does not scroll sideways.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      const box = await card.locator("svg").boundingBox();
      assert.ok(box && box.width > 200 && box.width <= 360, `cone ${box?.width} px wide`);
      // The seeded deployments' 30 days of spend, broken down.
      const byDeployment = page.locator("section", { hasText: "By deployment" }).locator("tr");
      assert.ok((await byDeployment.count()) >= 2);
      // The seeded objects hold no sketches: said as such, not as a failure.
      assert.match(
        await page.locator("[data-spenders]").first().textContent(),
        /No spend by identified users/,
      );
      await page.screenshot({ path: join(shots, "dashboard-spend-360-dark.png"), fullPage: true });
    } finally {
      await context.close();
      await fetch(`${base}/v1/budgets/${budget.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${keys.admin}` },
      });
    }
  });
}
