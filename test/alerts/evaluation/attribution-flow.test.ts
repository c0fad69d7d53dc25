// Segment attribution through the real path: events ingested by the Durable Object, its
// windows with their segment counts, the cron evaluation, the incident's last check and the
// alert in the outbox, which says where the change is.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { addEvent, emptyBucket, encodeBucket } from "../../../src/window/bucket";
import { seededRandom } from "../../sample-values";
import { deploymentRow } from "../../simulate";
import { seedWithSlack } from "./flow-seed";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LOCALES = ["en", "de", "fr", "es", "ja"];

function minuteEvents(
  slug: string,
  ts: number,
  r: () => number,
  changed: boolean,
): ArchivedEvent[] {
  return Array.from({ length: 100 }, (_, i) => {
    const locale = LOCALES[Math.floor(r() * LOCALES.length)] ?? "en";
    const rate = changed && locale === "ja" ? 0.45 : 0.05;
    return {
      type: "interaction",
      id: `${slug}-${ts}-${i}`,
      deployment: slug,
      environment: "production",
      ts: ts + i * 500,
      status: "ok",
      model: "gpt-4o-mini",
      feedback: r() < rate ? -1 : 1,
      tags: { locale },
      // 50 (hashed) users per locale, each back every few minutes.
      user_hash: `${locale}-user-${i % 50}`,
      received_at: ts + 60_000,
    };
  });
}

describe("segment attribution end to end", { timeout: 120_000 }, () => {
  it("names the locale whose thumbs-down rose in the incident and in its alert", async () => {
    const slug = "attribution-flow";
    const projectId = `prj_attr_${Date.now().toString(36)}`;
    const deploymentId = `${projectId}:production:${slug}`;
    const monitor = { projectId, environment: "production", slug, deploymentId, synthetic: false };
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const r = seededRandom(27);
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    // A week of history as ready-made hour buckets (they carry no segments: every locale is
    // then held to the baseline's overall rate).
    const hour = emptyBucket();
    for (let m = 0; m < 60; m++)
      for (const e of minuteEvents(slug, m * MINUTE, r, false)) addEvent(hour, e);
    const data = encodeBucket(hour);
    const hours = [];
    for (
      let start = Math.floor((now - 7 * 24 * HOUR) / HOUR) * HOUR;
      start + HOUR <= now - 2 * HOUR;
      start += HOUR
    ) {
      hours.push({ start, data });
    }
    await stub.apply({ deploymentId, token: `${slug}-history`, buckets: hours });
    // The last 40 minutes arrive as events: ja's thumbs-down rise in the last 30.
    for (let ago = 40; ago >= 1; ago--) {
      const ts = now - ago * MINUTE;
      await stub.ingest({ monitor, events: minuteEvents(slug, ts, r, ago <= 30) });
    }
    await seedWithSlack({ projectId, deploymentId, slug, firstSeen: now - 7 * 24 * HOUR, now });
    const d = await deploymentRow({ deploymentId });
    for (let ago = 8; ago >= 0; ago--) await evaluateDeployment(env, d, now - ago * MINUTE);

    const row = await env.DB.prepare(
      "SELECT last_check FROM incidents WHERE deployment_id = ? AND rule_id = 'default:thumbs_down_rate' AND status = 'firing'",
    )
      .bind(deploymentId)
      .first<{ last_check: string }>();
    const check = JSON.parse(row?.last_check ?? "{}");
    expect(check.effect_size?.method).toBe("newcombe_hybrid_score");
    expect(check.attribution?.everywhere).toBe(false);
    expect(check.attribution?.segments[0]?.name).toBe("locale=ja");
    expect(check.affected?.share_of_traffic).toBeGreaterThan(0.1);
    expect(check.affected?.share_of_traffic).toBeLessThan(0.3);
    // ja's 50 users, estimated by the window's distinct-user sketch (~13 % error).
    expect(check.affected?.users).toBeGreaterThanOrEqual(40);
    expect(check.affected?.users).toBeLessThanOrEqual(60);

    const { results } = await env.DB.prepare("SELECT payload FROM deliveries WHERE project_id = ?")
      .bind(projectId)
      .all<{ payload: string }>();
    const text = results.map((x) => x.payload).join("\n");
    expect(text).toMatch(/Where: \d+ % of the extra thumbs-down come from locale=ja/);
    expect(text).toMatch(/Effect: thumbs-down rate \+\d+\.\d points \(95 % CI /);
  });
});
