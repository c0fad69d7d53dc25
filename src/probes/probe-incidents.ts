import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { commitWithOutbox, enabledChannels, outboxRow } from "../alerts/delivery/outbox";
import { fnv1a64, groupNotifications, stepIncident } from "../alerts/incidents/incident-machine";
import { latestIncidents, stateOf, stepWrites } from "../alerts/incidents/incident-store";
import { publicOrigin } from "../net/public-origin";
import { probeDashboardUrl } from "../shared/dashboard-links";
import { historyNeeded, isFailing, probeSignal } from "./alert-policy";
import type { AssertionResult } from "./assertions";
import type { ProbeDefinition } from "./probe-schema";
import type { RunResult } from "./run-probe";
import { recentOutcomes } from "./run-store";

export const probeRuleId = (probeId: string) => `probe:${probeId}`;

export interface ProbeRef {
  id: string;
  projectId: string;
  deploymentId: string;
  definition: ProbeDefinition;
}

const describeResult = (r: AssertionResult) =>
  `${r.expected} (observed ${typeof r.observed === "string" ? JSON.stringify(r.observed) : r.observed})`;

/** One line for Slack and the incident: what failed and what the probe saw. */
export function runSummary(name: string, run: RunResult, failing: number, of: number): string {
  const head = `Probe "${name}" failed ${failing} of its last ${of} runs`;
  if (run.outcome === "error") return `${head}: ${run.error ?? "no answer"}`;
  const failed = run.results.filter((r) => r.result === "fail" && r.weight > 0);
  if (failed.length === 0)
    return `${head}; the latest run ${run.outcome === "degraded" ? "is degraded" : "passed"}`;
  return `${head}: ${failed.map(describeResult).join("; ")}`;
}

/** Which alert condition held, in words. */
function policyReason(policy: ProbeDefinition["alert"], seen: number, failing: number): string {
  const inRow = `${policy.consecutive} failing run${policy.consecutive === 1 ? "" : "s"} in a row`;
  if (policy.failures === undefined || policy.runs === undefined) return `of ${inRow}`;
  return `of ${inRow}, or ${policy.failures} of the last ${policy.runs} (${failing} of ${seen} failed)`;
}

/** Steps the probe's incident after `run` was stored; returns the notifications written. */
export async function updateProbeIncident(
  env: Env,
  probe: ProbeRef,
  run: RunResult,
  /** The cron minute that ran it: incident steps are idempotent per minute. */
  minute: number,
): Promise<number> {
  const policy = probe.definition.alert;
  const outcomes = await recentOutcomes(env.DB, probe.id, historyNeeded(policy));
  const signal = probeSignal(outcomes, policy);
  const ruleId = probeRuleId(probe.id);
  const previous = (await latestIncidents(env.DB, probe.deploymentId)).get(ruleId);
  if (!previous && signal !== "breach") return 0;
  const failing = outcomes.filter(isFailing).length;
  const step = stepIncident({
    previous: stateOf(previous),
    deployment_id: probe.deploymentId,
    rule_id: ruleId,
    outcome: signal === "breach" ? "breach" : signal === "ok" ? "ok" : "insufficient_data",
    value: failing,
    minute,
    for_minutes: 0,
    no_data: "ignore",
  });
  const message =
    run.outcome === "pass" || run.outcome === "degraded"
      ? `Probe "${probe.definition.name}" passes again`
      : runSummary(probe.definition.name, run, failing, outcomes.length);
  const check = {
    // "probe" titles the incident on the status page (src/status/incident-text.ts).
    metric: "probe",
    value: failing,
    message,
    probe_id: probe.id,
    run_id: run.id,
    outcome: run.outcome,
    answer_excerpt: run.answerExcerpt,
    failed: run.results.filter((r) => r.result === "fail"),
  };
  const severity = policy.severity;
  const now = Date.now();
  const d = drizzle(env.DB);
  const write = stepWrites(
    d,
    {
      projectId: probe.projectId,
      deploymentId: probe.deploymentId,
      rule: { id: ruleId, severity },
      check,
    },
    previous,
    step,
    now,
  );
  const statements: BatchItem<"sqlite">[] = [...write.statements];
  const rows = [];
  if (step.notification && write.incidentId) {
    const kind = step.notification.kind;
    const origin = publicOrigin(env);
    const [group] = groupNotifications([
      {
        deployment_id: probe.deploymentId,
        environment: probe.definition.environment,
        slug: probe.definition.deployment,
        rule_id: ruleId,
        rule_name: `Probe "${probe.definition.name}" ${kind === "resolved" ? "passes again" : "is failing"}`,
        severity,
        metric: "probe",
        status: kind === "resolved" ? "resolved" : "firing",
        repeat: kind === "repeat",
        value: failing,
        baseline_value: null,
        test: "assertions",
        statistic: failing,
        threshold: policy.consecutive,
        unit: null,
        message,
        reason:
          kind === "resolved"
            ? "resolved because the latest run passed"
            : `fired because ${policyReason(policy, outcomes.length, failing)}`,
        release: null,
        dashboard_url: probeDashboardUrl(origin, probe.id),
        incident_id: write.incidentId,
        started_at: step.state.started_at ?? minute,
        evaluated_at: minute,
      },
    ]);
    if (group) {
      // Its own group key: a drift notification of the same deployment and minute must
      // not share (and so dedupe away) this one's outbox row.
      const own = { ...group, group_key: fnv1a64(`${ruleId}\u0000${minute}\u0000${kind}`) };
      const channels = await enabledChannels(env.DB, probe.projectId);
      rows.push(...channels.map((ch) => outboxRow(probe.projectId, own, ch, now)));
    }
  }
  // Incident step and its notifications in one batch, as drift evaluation does. If an ack
  // or manual resolve changed the incident meanwhile the guard fails the batch; the next
  // run steps again from their state.
  return commitWithOutbox(env, statements, rows, now, `the alert of probe ${probe.id}`);
}
