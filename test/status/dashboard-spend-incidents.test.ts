// A budget's alert on the dashboard: listed among the incidents with its budget, linked from
// the budget's card on the Spend page, opened on its own page named for the budget and the
// burn, and worked through the same forms.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { spendIncidentText } from "../../src/alerts/budgets/spend-incident-text";
import { firingBudget } from "../spend/firing-budget";
import { get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

describe("a budget's incident on the dashboard", () => {
  it("is listed with its budget, opens on its own page and is acknowledged through its form", async () => {
    const { p, budgetId, id } = await firingBudget();
    const admin = await dashboardCookie(p.admin);

    const list = await (await get("/dashboard/incidents", admin)).text();
    expect(list).toContain(`href="/dashboard/incidents/${id}"`);
    expect(list).toContain("Budget &quot;daily cap&quot;: fast burn (≥ 14× its even pace)");
    expect(list).toContain(`href="/dashboard/spend#budget-${budgetId}"`);

    // The budget's card on the Spend page links its open alert.
    const spend = await (await get("/dashboard/spend", admin)).text();
    const card = spend.slice(spend.indexOf(`id="budget-${budgetId}"`));
    expect(card).toContain(`href="/dashboard/incidents/${id}"`);
    expect(card).toContain("fast burn (firing, critical)");

    const page = await get(`/dashboard/incidents/${id}`, admin);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Budget &quot;daily cap&quot;: fast burn");
    expect(html).toContain("both burn at ≥ 14× the even pace");
    expect(html).not.toContain("no longer exists");
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const ack = await post(`/dashboard/incidents/${id}/ack`, { csrf }, admin);
    expect(ack.status).toBe(303);
    const acked = await env.DB.prepare("SELECT acked_at FROM incidents WHERE id = ?")
      .bind(id)
      .first<{ acked_at: number | null }>();
    expect(acked?.acked_at).not.toBeNull();
  });
});

describe("spend incident titles", () => {
  it("names each budget alert and the user-share rule, and nothing else", () => {
    expect(spendIncidentText("budget:b1:slow", "ops", null)?.title).toBe(
      'Budget "ops": slow burn (≥ 6× its even pace)',
    );
    expect(spendIncidentText("budget:b1:forecast", null, null)?.title).toBe(
      'Budget "b1": forecast above the amount',
    );
    expect(spendIncidentText("user_share:r1", null, { threshold: 40 })?.title).toBe(
      "One user above 40 % of the last hour's spend",
    );
    expect(spendIncidentText("default:error_rate", null, null)).toBeNull();
  });
});
