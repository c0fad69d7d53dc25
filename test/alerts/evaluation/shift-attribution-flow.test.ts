// Distribution attribution through the real path: a week of events ingested by the Durable
// Object (segment counts and moments in its hour rows), then a window where one locale's
// latency rose and its retrieval scores fell; the cron evaluation's latency and retrieval
// incidents name that locale.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { lognormal, seededRandom } from "../../sample-values";
import { deploymentRow } from "../../simulate";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LOCALES = ["en", "de", "fr", "es", "ja"];

function events(
  slug: string,
  ts: number,
  n: number,
  spacing: number,
  r: () => number,
  slow: boolean,
) {
  return Array.from({ length: n }, (_, i): ArchivedEvent => {
    const locale = LOCALES[Math.floor(r() * LOCALES.length)] ?? "en";
    const factor = slow && locale === "ja" ? 4 : 1;
    return {
      type: "interaction",
      id: `${slug}-${ts}-${i}`,
      deployment: slug,
      environment: "production",
      ts: ts + i * spacing,
      status: "ok",
      model: "gpt-4o-mini",
      latency_ms: lognormal(r, 800, 0.3) * factor,
      // Retrieval scores spread over ±0.1 by the index (no draw: the latencies stay as they were).
      retrieval: { top_score: (slow && locale === "ja" ? 0.5 : 0.8) + ((i * 37) % 21) / 100 - 0.1 },
      tags: { locale },
      received_at: ts + HOUR,
    };
  });
}

describe("distribution attribution end to end", { timeout: 180_000 }, () => {
  it("names the locale whose latency rose, and whose retrieval scores fell, in their incidents", async () => {
    const slug = "shift-attribution-flow";
    const projectId = `prj_shift_${Date.now().toString(36)}`;
    const deploymentId = `${projectId}:production:${slug}`;
    const monitor = { projectId, environment: "production", slug, deploymentId, synthetic: false };
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const r = seededRandom(31);
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    // A week of history as events, 60 an hour (segment counts and moments in hour rows).
    const first = Math.floor((now - 7 * 24 * HOUR) / HOUR) * HOUR;
    for (let start = first; start + HOUR <= now - 2 * HOUR; start += HOUR) {
      await stub.ingest({ monitor, events: events(slug, start, 60, MINUTE, r, false) });
    }
    for (let ago = 40; ago >= 1; ago--) {
      const ts = now - ago * MINUTE;
      await stub.ingest({ monitor, events: events(slug, ts, 60, 900, r, ago <= 30) });
    }
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO projects (id, name, retention_days, created_at) VALUES (?, ?, 30, ?)",
      ).bind(projectId, slug, now),
      env.DB.prepare(
        "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
      ).bind(deploymentId, projectId, slug, first, now),
    ]);
    const d = await deploymentRow({ deploymentId });
    for (let ago = 8; ago >= 0; ago--) await evaluateDeployment(env, d, now - ago * MINUTE);
    const row = await env.DB.prepare(
      "SELECT last_check FROM incidents WHERE deployment_id = ? AND rule_id = 'default:latency_ms_p95' AND status IN ('pending', 'firing')",
    )
      .bind(deploymentId)
      .first<{ last_check: string }>();
    const check = JSON.parse(row?.last_check ?? "{}");
    expect(check.attribution?.everywhere).toBe(false);
    expect(check.attribution?.segments[0]?.name).toBe("locale=ja");
    expect(check.attribution?.segments[0]?.measure).toBe("typical_value");
    expect(check.attribution?.text).toMatch(/of the rise in latency comes from locale=ja/);
    // The same locale's retrieval scores fell: that incident names it too, by its mean.
    const retrieval = await env.DB.prepare(
      "SELECT last_check FROM incidents WHERE deployment_id = ? AND rule_id = 'default:retrieval_top_score' AND status IN ('pending', 'firing')",
    )
      .bind(deploymentId)
      .first<{ last_check: string }>();
    const scores = JSON.parse(retrieval?.last_check ?? "{}");
    expect(scores.attribution?.segments[0]?.name).toBe("locale=ja");
    expect(scores.attribution?.text).toMatch(
      /^9\d % of the fall in retrieval top score comes from locale=ja \(mean 0\.80\d? → 0\.50\d?\)/,
    );
  });
});
