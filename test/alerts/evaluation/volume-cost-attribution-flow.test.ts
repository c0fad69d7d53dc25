// Traffic-drop and cost attribution through the real path: events ingested by the Durable
// Object (segment counts and cost moments in its rows), the cron evaluation, the incident's
// last check and the Slack alert in the outbox, whose Where line names the model.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { lognormal, seededRandom } from "../../sample-values";
import { deploymentRow } from "../../simulate";
import { seedWithSlack } from "./flow-seed";

const MINUTE = 60_000;

/** Two hours of one deployment's traffic, 40 requests a minute, changed in the last 25. */
async function incidentOf(
  slug: string,
  ruleId: string,
  event: (i: number, r: () => number, changed: boolean) => Partial<ArchivedEvent> | null,
) {
  const projectId = `prj_${slug.replaceAll("-", "_")}_${Date.now().toString(36)}`;
  const deploymentId = `${projectId}:production:${slug}`;
  const monitor = { projectId, environment: "production", slug, deploymentId, synthetic: false };
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const r = seededRandom(11);
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  for (let ago = 120; ago >= 1; ago--) {
    const ts = now - ago * MINUTE;
    const events = Array.from({ length: 40 }, (_, i): ArchivedEvent | null => {
      const fields = event(i, r, ago <= 25);
      if (fields === null) return null;
      return {
        type: "interaction",
        id: `${slug}-${ts}-${i}`,
        deployment: slug,
        environment: "production",
        ts: ts + i * 1_000,
        status: "ok",
        tags: { locale: i % 2 === 0 ? "en" : "ja" },
        received_at: ts + MINUTE,
        ...fields,
      } as ArchivedEvent;
    }).filter((e) => e !== null);
    await stub.ingest({ monitor, events });
  }
  await seedWithSlack({ projectId, deploymentId, slug, firstSeen: now - 120 * MINUTE, now });
  const d = await deploymentRow({ deploymentId });
  for (let ago = 8; ago >= 0; ago--) await evaluateDeployment(env, d, now - ago * MINUTE);
  const row = await env.DB.prepare(
    "SELECT last_check FROM incidents WHERE deployment_id = ? AND rule_id = ? AND status = 'firing'",
  )
    .bind(deploymentId, ruleId)
    .first<{ last_check: string }>();
  const { results } = await env.DB.prepare("SELECT payload FROM deliveries WHERE project_id = ?")
    .bind(projectId)
    .all<{ payload: string }>();
  return {
    check: JSON.parse(row?.last_check ?? "{}"),
    sent: results.map((x) => x.payload).join("\n"),
  };
}

describe("traffic and cost attribution end to end", { timeout: 180_000 }, () => {
  it("names the model whose traffic stopped in the traffic incident and in its alert", async () => {
    // model-x carries 9 requests in 10 and stops; model-y's keep coming.
    const { check, sent } = await incidentOf(
      "volume-attribution-flow",
      "default:traffic",
      (i, _r, changed) => {
        const model = i % 10 === 0 ? "model-y" : "model-x";
        return changed && model === "model-x" ? null : { model };
      },
    );
    expect(check.attribution?.everywhere).toBe(false);
    expect(check.attribution?.segments[0]?.name).toBe("model=model-x");
    expect(check.attribution?.segments[0]?.share_of_excess).toBeGreaterThan(0.95);
    expect(sent).toMatch(
      /Where: \d+ % of the missing requests are from model=model-x \(expected [\d.]+\/min → 0\/min\)/,
    );
  });

  it("names the model whose cost per request rose fivefold in the cost incident and in its alert", async () => {
    const { check, sent } = await incidentOf(
      "cost-attribution-flow",
      "default:cost_per_request",
      (i, r, changed) => {
        const model = ["model-a", "model-b", "model-c", "model-d"][i % 4] ?? "model-a";
        const usual = 0.001 * (1 + (i % 4));
        const factor = changed && model === "model-c" ? 5 : 1;
        return { model, cost_usd: lognormal(r, usual * factor, 0.3) };
      },
    );
    expect(check.attribution?.everywhere).toBe(false);
    expect(check.attribution?.segments[0]?.name).toBe("model=model-c");
    expect(sent).toMatch(
      /Where: \d+ % of the extra cost comes from model=model-c \(mean \$[\d.]+ → \$[\d.]+\)/,
    );
  });
});
