// The status page in the reader's language (issue 28 item 5): Accept-Language en, de, fr, es
// and ja pick the page's words and dates (always in UTC, and saying so), `Vary:
// Accept-Language` and `Content-Language` say so, and the edge cache keeps one copy per
// language (a German reader never gets the English copy).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { dayIn, daysIn, whenIn } from "../../src/status/i18n/dates";
import { changeIn, titleIn } from "../../src/status/i18n/generated";
import { pickLanguage } from "../../src/status/i18n/language";
import { BASE, call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours, seedIncident, seedRelease } from "./seed";

const NOW = Date.now();
const DEC_2 = Date.UTC(2026, 11, 2, 9, 41);

describe("the reader's language", () => {
  it("is the first supported one by preference, English otherwise", () => {
    expect(pickLanguage(undefined)).toBe("en");
    expect(pickLanguage("de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(pickLanguage("pt-BR,fr;q=0.5,es;q=0.7")).toBe("es");
    expect(pickLanguage("ja;q=0, fr-CA")).toBe("fr");
    expect(pickLanguage("ja-JP")).toBe("ja");
    expect(pickLanguage("zh-CN, *;q=0.1")).toBe("en");
    expect(pickLanguage("de;q=abc")).toBe("de");
  });

  it("writes days and times in the language, in UTC, saying UTC", () => {
    expect([dayIn("en", DEC_2), whenIn("en", DEC_2)]).toEqual(["2 Dec", "2 Dec, 09:41 UTC"]);
    expect(whenIn("de", DEC_2)).toBe("2. Dez., 09:41 UTC");
    expect(whenIn("fr", DEC_2)).toBe("2 déc., 09:41 UTC");
    expect(whenIn("es", DEC_2)).toBe("2 dic, 09:41 UTC");
    expect(whenIn("ja", DEC_2)).toBe("12月2日 09:41 UTC");
  });

  it("writes a range of days with its month once when it is one", () => {
    const nov = (d: number) => Date.UTC(2026, 10, d, 12);
    expect(daysIn("en", nov(8), nov(24))).toBe("8–24 Nov");
    expect(daysIn("de", nov(8), nov(24))).toBe("8.–24. Nov.");
    expect(daysIn("fr", nov(8), nov(24))).toBe("8–24 nov.");
    expect(daysIn("es", nov(8), nov(24))).toBe("8–24 nov");
    expect(daysIn("ja", nov(8), nov(24))).toBe("11月8日～24日");
    // Across months (and years) each day names its own; one day is the day alone.
    expect(daysIn("en", nov(30), DEC_2)).toBe("30 Nov – 2 Dec");
    expect(daysIn("de", nov(30), DEC_2)).toBe("30. Nov. – 2. Dez.");
    expect(daysIn("en", Date.UTC(2025, 10, 8), nov(24))).toBe("8 Nov – 24 Nov");
    expect(daysIn("ja", DEC_2, DEC_2 + 3_600_000)).toBe("12月2日");
  });
});

async function page() {
  const p = await createProject("lang");
  const slug = uniqueSlug("lang");
  const bot = uniqueSlug("bot");
  await seedHours(await seedDeployment(p.id, bot, NOW), NOW, 24);
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: { status_page: { slug, title: "Acme", deployments: [{ slug: bot, name: "Bot" }] } },
  });
  expect(res.status).toBe(200);
  return slug;
}

const WORDS = [
  ["en", "All systems operational", "Times in UTC", "Operational", "No incidents"],
  ["de", "Alle Systeme funktionieren", "Zeiten in UTC", "Betriebsbereit", "Keine Vorfälle"],
  ["fr", "Tous les systèmes sont opérationnels", "Heures en UTC", "Opérationnel", "Aucun incident"],
  ["es", "Todos los sistemas funcionan", "Horas en UTC", "Operativo", "Sin incidentes"],
  ["ja", "すべてのシステムが正常です", "時刻はUTC", "正常", "異常なし"],
] as const;

describe("the status page in the reader's language", () => {
  it.each(WORDS)(
    "speaks %s to a reader who asks for it",
    async (lang, banner, footer, state, quiet) => {
      const slug = await page();
      const res = await call(`/status/${slug}`, { headers: { "accept-language": lang } });
      expect(res.status).toBe(200);
      expect(res.headers.get("vary")).toBe("Accept-Language");
      expect(res.headers.get("content-language")).toBe(lang);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(banner);
      expect(html).toContain(footer);
      // Words of the components inside the page (a card's state, a quiet run of bars).
      expect(html).toContain(`<span class="state operational">${state}</span>`);
      expect(html).toMatch(new RegExp(`<i (style="--l:\\d+" )?title="[^"]+ · ${quiet}"`));
      expect(html).toContain(whenIn(lang, NOW).slice(0, -9));
    },
  );

  it("tells screen readers how many days were in each state, German nouns capitalised", async () => {
    const slug = await page();
    const res = await call(`/status/${slug}`, { headers: { "accept-language": "de" } });
    expect(await res.text()).toMatch(
      /<div class="bars" role="img" aria-label="Letzte 90 Tage: \d+ betriebsbereit, \d+ keine Daten">/,
    );
  });

  it("keeps one copy per language in the edge cache", async () => {
    const slug = await page();
    const fetchAs = async (language: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`${BASE}/status/${slug}?v=1`, { headers: { "accept-language": language } }),
        env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res.text();
    };
    const english = await fetchAs("en");
    const german = await fetchAs("de");
    expect(english).toContain("All systems operational");
    expect(german).toContain("Alle Systeme funktionieren");
    expect(await fetchAs("de-AT")).toBe(german);
    expect(await fetchAs("en-GB")).toBe(english);
  });
});

describe("what the page writes about incidents, in the reader's language", () => {
  it("titles an incident from its metric, keeping client-set names as sent", () => {
    expect(titleIn("en", "latency_ms", "Slower answers")).toBe("Slower answers");
    expect(titleIn("de", "latency_ms", "Slower answers")).toBe("Langsamere Antworten");
    expect(titleIn("ja", "evals.groundedness", "")).toBe("groundedness スコアの低下");
    expect(titleIn("fr", "tags.intent", "")).toBe("Répartition intent modifiée");
    expect(titleIn("es", "no_such_metric", "")).toBe("Calidad degradada");
  });

  it("says what changed in the release, with client-set labels only when shown", () => {
    const at = 0;
    const unlabelled = { summary: "a prompt and model change", at, labelled: false } as const;
    const fields = [{ field: "prompt" as const }, { field: "model" as const }];
    expect(changeIn("en", { ...unlabelled, changes: fields })).toBe("a prompt and model change");
    expect(changeIn("de", { ...unlabelled, changes: fields })).toBe(
      "Änderung an Prompt und Modell",
    );
    expect(changeIn("ja", { ...unlabelled, changes: fields })).toBe("プロンプト・モデルの変更");
    const labelled = {
      summary: "prompt v13 → v14",
      at,
      labelled: true,
      changes: [{ field: "prompt" as const, from: "v13", to: "v14" }],
    };
    expect(changeIn("fr", labelled)).toBe("prompt v13 → v14");
    expect(changeIn("es", { ...labelled, changes: [] })).toBe("una nueva versión");
  });

  const GENERATED = [
    ["en", "Slower answers", "after a prompt change"],
    ["de", "Langsamere Antworten", "zuvor: Änderung an Prompt"],
    ["fr", "Réponses plus lentes", "après un changement de prompt"],
    ["es", "Respuestas más lentas", "tras un cambio de prompt"],
    ["ja", "回答の遅延", "直前の変更: プロンプトの変更"],
  ] as const;

  it.each(GENERATED)(
    "titles a seeded incident in %s on the HTML page, and only there",
    async (lang, title, after) => {
      const p = await createProject("gen");
      const slug = uniqueSlug("gen");
      const bot = uniqueSlug("bot");
      const deploymentId = await seedDeployment(p.id, bot, NOW);
      await seedHours(deploymentId, NOW, 24);
      await seedRelease(deploymentId, "v13", NOW - 20 * 24 * 3_600_000);
      await seedRelease(deploymentId, "v14", NOW - 3 * 3_600_000);
      await seedIncident({
        id: uniqueSlug("inc"),
        projectId: p.id,
        deploymentId,
        severity: "warning",
        metric: "latency_ms",
        status: "firing",
        firingAt: NOW - 2 * 3_600_000,
      });
      const patched = await call(`/v1/projects/${p.id}`, {
        method: "PATCH",
        key: p.admin,
        json: { status_page: { slug, title: "Acme", deployments: [{ slug: bot, name: "Bot" }] } },
      });
      expect(patched.status).toBe(200);
      const headers = { "accept-language": lang };
      const html = await (await call(`/status/${slug}`, { headers })).text();
      expect(html).toContain(`<h3>${title}</h3>`);
      expect(html).toContain(after);
      // The JSON a machine reads stays English, whatever the reader's language.
      const json = await (await call(`/status/${slug}/incidents.json`, { headers })).text();
      expect(json).toContain("Slower answers");
    },
  );
});
