// The rule preview's data: for each deployment the rule covers (the first 10 by name), one
// RPC to its Durable Object for each hour of the previewed range (24 h or 7 d) and the 7 days
// before it as the baseline, from its 1-hour buckets (kept 35 days); then the pure preview.
import { previewRule, type RulePreview } from "../../alerts/evaluation/rule-preview";
import { ruleMatches } from "../../alerts/rules/rule-match";
import type { Rule } from "../../alerts/rules/rule-schema";
import { DAY_MS, HOUR_MS, hourOf } from "../../shared/time";
import { emptyBucket } from "../../window/bucket";
import { decodeBucket } from "../../window/bucket-codec";
import { projectDeployments } from "./data";

export const PREVIEW_RANGES = ["24h", "7d"] as const;
export type PreviewRange = (typeof PREVIEW_RANGES)[number];
/** Deployments previewed at most (one RPC each, in parallel). */
export const PREVIEW_DEPLOYMENTS = 10;

export interface DeploymentPreview {
  environment: string;
  slug: string;
  preview: RulePreview;
}

export async function rulePreviews(
  env: Env,
  projectId: string,
  rule: Rule,
  range: PreviewRange,
  now: number,
): Promise<{ previews: DeploymentPreview[]; covered: number }> {
  const deployments = (await projectDeployments(env.DB, projectId)).filter((d) =>
    ruleMatches(rule, d),
  );
  const to = hourOf(now) + HOUR_MS;
  const from = to - (range === "24h" ? DAY_MS : 7 * DAY_MS);
  const baseline = { from: from - 7 * DAY_MS, to: from, resolution: "1h" as const };
  const hours: { from: number; to: number; resolution: "1h" }[] = [];
  for (let t = from; t < to; t += HOUR_MS)
    hours.push({ from: t, to: t + HOUR_MS, resolution: "1h" });
  const previews = await Promise.all(
    deployments.slice(0, PREVIEW_DEPLOYMENTS).map(async (d) => {
      const stub = env.DEPLOYMENT_MONITOR.getByName(d.id);
      const [base, ...windows] = await stub.windows([baseline, ...hours]);
      const bucket = (w: { buckets: number; data: string } | undefined) =>
        w && w.buckets > 0 ? decodeBucket(w.data) : emptyBucket();
      const preview = previewRule(
        rule,
        hours.map((h, k) => ({ start: h.from, current: bucket(windows[k]) })),
        base && base.buckets > 0 ? { bucket: bucket(base), minutes: 7 * 24 * 60 } : null,
      );
      return { environment: d.environment, slug: d.slug, preview };
    }),
  );
  return { previews, covered: deployments.length };
}
