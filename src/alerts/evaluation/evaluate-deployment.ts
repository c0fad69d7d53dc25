// One deployment's evaluation for one minute (I/O shell around the pure engine):
// windows and baseline from its Durable Object, rules from D1, check results and
// incident states and their notifications to D1 in one batch (commit-evaluation.ts).
import type { deploymentsTable } from "../../db/schema";
import { faultPoint } from "../../fault-points";
import { publicOrigin } from "../../net/public-origin";
import { loadRules } from "../rules/effective-rules";
import type { Rule } from "../rules/rule-schema";
import { runVerdicts } from "../verdicts/run-verdicts";
import { loadBaseline } from "./baseline-source";
import type { CheckResult } from "./check-result";
import { commitEvaluation } from "./commit-evaluation";
import { evaluateRules, ruleMatches } from "./evaluate";
import { releaseInfo } from "./release-info";
import { sequentialReadings } from "./sequential-io";

type DeploymentRow = typeof deploymentsTable.$inferSelect;

export interface EvaluationSummary {
  deploymentId: string;
  checks: number;
  breaches: number;
  notifications: number;
}

/** Evaluates one deployment at `minute` (epoch ms, floored). Idempotent per minute. */
export async function evaluateDeployment(
  env: Env,
  deployment: DeploymentRow,
  minute: number,
  rulesOfProject?: Rule[],
): Promise<EvaluationSummary> {
  faultPoint("evaluate.deployment", deployment.id);
  const rules = (rulesOfProject ?? (await loadRules(env.DB, deployment.projectId))).filter(
    (r) => r.enabled && ruleMatches(r, deployment),
  );
  const { input, change, releases, baseline, key } = await loadBaseline(
    env,
    deployment,
    minute,
    rules,
  );
  const sequential = await sequentialReadings(env, deployment.id, minute, rules, baseline, key);
  const checks = evaluateRules(rules, (m) => ({ ...input(m), sequential }));
  // Only rules that had data are stored: an idle deployment's minutes cost no rows.
  const withData = checks.filter((c) => c.outcome !== "no_data");
  if (withData.length > 0) await storeChecks(env.DB, deployment.id, minute, withData);
  const origin = publicOrigin(env);
  const notifications = await commitEvaluation(env, {
    deployment,
    minute,
    rules,
    checks,
    releaseFor: (openedAt) => releaseInfo(releases, change, minute, openedAt),
    origin,
  });
  // Release verdicts (docs/verdicts.md): a failure there must not stop the alert rules.
  await runVerdicts(env, deployment, minute).catch((err) =>
    console.error(`release verdicts of ${deployment.id} failed`, err),
  );
  return {
    deploymentId: deployment.id,
    checks: checks.length,
    breaches: checks.filter((c) => c.outcome === "breach").length,
    notifications,
  };
}

/** Upserts the minute's check results (the drift-score time series); replay-safe. */
async function storeChecks(
  db: D1Database,
  deploymentId: string,
  minute: number,
  checks: CheckResult[],
) {
  // NOTE: one JSON parameter per statement, far below D1's 100 bound parameters.
  await db
    .prepare(
      `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message)
       SELECT ?1, value ->> '$.rule_id', ?2, value ->> '$.outcome', value ->> '$.value',
              value ->> '$.baseline_value', value ->> '$.statistic', value ->> '$.threshold', value ->> '$.message'
       FROM json_each(?3) WHERE true
       ON CONFLICT (deployment_id, rule_id, minute) DO UPDATE SET
         outcome = excluded.outcome, value = excluded.value, baseline_value = excluded.baseline_value,
         statistic = excluded.statistic, threshold = excluded.threshold, message = excluded.message`,
    )
    .bind(deploymentId, minute, JSON.stringify(checks))
    .run();
}
