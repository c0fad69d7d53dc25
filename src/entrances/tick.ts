// The every-minute cron tick: evaluate drift, send the alert outbox, move legacy D1 events
// into the Durable Objects, expire old data (D1 rows, then archived events in R2),
// advance deletions.
// Errors are handled here, step by step: a try/catch around waitUntil would catch
// nothing, and one failing step must not stop the others.
import { evaluateBudgets } from "../alerts/budgets/budget-incidents";
import { evaluateUserShareRules } from "../alerts/budgets/user-share-incidents";
import { sendOutbox } from "../alerts/delivery/outbox";
import { runEvaluations } from "../alerts/evaluation/run-evaluations";
import { expireArchive } from "../archive/expire";
import { runDeletions } from "../deletion/run";
import { ConfigError, publicUrlProblem } from "../net/public-origin";
import { runDueProbes } from "../probes/execute";
import { drainLegacyEvents } from "../queue/legacy-drain";
import { purgeExpired } from "../retention/purge-expired";
import { announcePageEvents } from "../status/subscriptions/announce";

export async function runTick(env: Env, scheduledTime: number): Promise<void> {
  // A misconfigured Worker fails every tick loudly rather than alerting with dead links.
  const problem = publicUrlProblem(env);
  if (problem) throw new ConfigError(problem);
  // Probes wait on other services' answers: they run beside the steps, never before them.
  const probes = runDueProbes(env, scheduledTime).catch((err: unknown) => {
    console.error("running probes failed", err);
  });
  const steps: [string, () => Promise<unknown>][] = [
    ["evaluating drift", () => runEvaluations(env, scheduledTime)],
    ["evaluating budgets", () => evaluateBudgets(env, scheduledTime)],
    ["evaluating user-share rules", () => evaluateUserShareRules(env, scheduledTime)],
    // Status page subscribers hear of the page's new events (docs/status-page.md).
    ["announcing status page events", () => announcePageEvents(env, Date.now())],
    // Alerts whose queue send failed or never happened (src/alerts/delivery/outbox.ts).
    ["sending the alert outbox", () => sendOutbox(env, Date.now())],
    // Last, and time-bounded: evaluation never waits behind a purge or a deletion.
    ["moving legacy events", () => drainLegacyEvents(env)],
    ["expiring old data", () => purgeExpired(env.DB, scheduledTime)],
    ["expiring archived events", () => expireArchive(env, scheduledTime)],
    ["deleting projects and deployments", () => runDeletions(env, scheduledTime)],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      console.error(`${what} failed`, err);
    }
  }
  await probes;
}
