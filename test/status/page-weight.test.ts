// The status page's weight budget (issue 28): ≤ 30 KB of HTML for the bench scenario (10
// deployments, 40 incidents over 14 days, 3 written updates, a maintenance window running,
// a probe shown as a component: test/e2e/seed.mjs benchWorld, as `npm run bench:status-page`
// seeds it), in every language the page speaks.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../src/status/i18n/language";
import { benchWorld, seedSql } from "../e2e/seed.mjs";
import { call } from "../helpers";

const BUDGET = 30 * 1024;
const now = Date.now();
const world = benchWorld(now, 10);

beforeAll(async () => {
  // One INSERT a line (the keys are not needed: the page is public).
  const statements = seedSql(world, now, { keys: {} }).trim().split("\n");
  for (let k = 0; k < statements.length; k += 500) {
    await env.DB.batch(statements.slice(k, k + 500).map((s) => env.DB.prepare(s)));
  }
}, 60_000);

const pageIn = async (lang: string) => {
  const res = await call(`/status/${world.page.slug}`, { headers: { "accept-language": lang } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-language")).toBe(lang);
  return res.text();
};

describe("the status page's weight in the bench scenario", () => {
  it.each(LANGUAGES)("stays within 30 KB of HTML in %s", async (lang) => {
    const html = await pageIn(lang);
    // Everything the scenario holds is on the page: 11 components, 40 incidents, 3 updates.
    expect(html.match(/<li class="card">/g)).toHaveLength(11);
    expect(html.match(/<li id="i-/g)).toHaveLength(40);
    expect(html.match(/<li id="u-/g)).toHaveLength(3);
    // Every card's bars cover its 90 days: runs of `--l` days (1 without it), each with its tooltip.
    const rows = [...html.matchAll(/<div class="bars"[^>]*>(.*?)<\/div>/g)].map((m) => m[1] ?? "");
    expect(rows).toHaveLength(11);
    for (const row of rows) {
      const runs = [
        ...row.matchAll(/<i (?:class="\w" )?(?:style="--l:(\d+)" )?title="[^"]+"><\/i>/g),
      ];
      expect(runs.map((r) => r[0]).join("")).toBe(row);
      expect(runs.reduce((days, r) => days + Number(r[1] ?? 1), 0)).toBe(90);
    }
    const bytes = new TextEncoder().encode(html).byteLength;
    console.log(`status page, bench scenario, ${lang}: ${bytes} B`);
    expect(bytes).toBeLessThanOrEqual(BUDGET);
  });
});
