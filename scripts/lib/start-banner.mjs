// What `npm start` prints: where Driftwatch runs, the demo project's keys and URLs, and the
// timeline of the scripted incident (when it starts, when to expect the alert to print).
import { DEPLOYMENTS, deploymentNamed, ENVIRONMENT, INCIDENT } from "./scenario.mjs";

const MINUTE_MS = 60_000;
/**
 * Minutes from the incident's start to the first alerts: the windows show the drift after
 * one or two minutes of it (test/system/demo-scenario.test.ts), then the default `for` is 5 min.
 */
const ALERT_AFTER_MIN = [6, 9];
/** Minutes after the canary starts by which its verdict fails (test/system/demo-verdict.test.ts). */
const VERDICT_AFTER_MIN = 5;
/** Minutes after the rollback by which the last detector (latency, sequential) clears. */
const RESOLVED_AFTER_MIN = 26;

export const time = (ms) => new Date(ms).toLocaleTimeString("en-GB");
const hhmm = (ms) => time(ms).slice(0, 5);

export function printBanner({ base, adminToken }) {
  console.log(`
Driftwatch is running locally (local D1, Queues and Durable Objects in workerd).

  API            ${base}
  Dashboard      ${base}/dashboard   (sign in with a read or admin key)
  Health         ${base}/healthz
  Cron           ${base}/__scheduled   (fired by this script a few seconds into every minute)
  Admin token    ${adminToken}   (from .dev.vars)
  Worker log     .driftwatch/wrangler.log`);
}

function windowLines(base) {
  const width = Math.max(...DEPLOYMENTS.map((d) => d.slug.length));
  return DEPLOYMENTS.map(
    (d) =>
      `    ${d.slug.padEnd(width)}  ${base}/v1/deployments/${ENVIRONMENT}/${d.slug}/window?range=15m`,
  );
}

export function printDemo({
  base,
  state,
  fresh,
  channel,
  sinkUrl,
  seeded,
  timeline,
  closed,
  statusPage,
}) {
  const { keys } = state;
  const bot = deploymentNamed(INCIDENT.deployment);
  const [early, late] = ALERT_AFTER_MIN;
  const share = Math.round(INCIDENT.canaryShare * 100);
  const verdicts = `${base}/dashboard/d/${ENVIRONMENT}/${bot.slug}/releases`;
  const events = `${seeded.sent.toLocaleString()} event${seeded.sent === 1 ? "" : "s"}`;
  const history = fresh ? `${events} over the last 7 days` : `${events} added since the last run`;
  const traffic = DEPLOYMENTS.map((d) => `${d.slug} ${d.perSecond}/s`).join(" · ");
  const read = `-H "Authorization: Bearer ${keys.read}"`;
  const deployment = `${base}/v1/deployments/${ENVIRONMENT}/${bot.slug}`;
  const reopened = closed
    ? `\n  Incidents      ${closed} left open by the previous run resolved, so this run alerts afresh`
    : "";
  console.log(`
Demo project     ${state.projectId}   (${fresh ? "new" : "reused"}; keys in .driftwatch/demo.json)
  Ingest key     ${keys.ingest}
  Read key       ${keys.read}
  Admin key      ${keys.admin}
  History        ${history}${seeded.counted ? ", counted" : " (still being counted)"}
  Live traffic   ${traffic}, through the SDK, plus users' thumbs
  Dashboard      ${base}/dashboard   (sign in with the read or admin key above)
  Status page    ${statusPage ?? "(slug 'demo' is taken by another local project)"}   (public, no sign-in)
  Slack channel  ${channel.id} → ${sinkUrl}
                 (a local webhook sink: every alert is printed below as Slack would show it)${reopened}

  Windows of the demo deployments (read key):
${windowLines(base).join("\n")}
  e.g. curl -s ${read} "${deployment}/window?range=15m"
       curl -s ${read} ${deployment}/releases
       curl -s ${read} "${deployment}/checks?rule=default:thumbs_down_rate&limit=5"
       curl -s ${read} ${base}/v1/incidents
       curl -s -X POST -H "Authorization: Bearer ${keys.admin}" ${base}/v1/channels/${channel.id}/test

What happens next
  ${time(timeline.canary)}  ${bot.slug} starts a ${share} % canary of prompt ${INCIDENT.prompt_version} (was ${bot.prompt_version}), announced
               as release ${INCIDENT.gitSha}: its answers ~${INCIDENT.outputScale}x longer, thumbs-down ${Math.round(bot.thumbsDown * 100)} % -> ${Math.round(INCIDENT.thumbsDown * 100)} % of answers.
  ~${hhmm(timeline.canary + VERDICT_AFTER_MIN * MINUTE_MS)}  its release verdict fails: the sink prints "🔴 Release FAIL: … prompt v14", naming the signals
               that got worse against v13 on the same minutes of traffic. The sequential detectors see longer
               answers in the mixed traffic too; the 15-minute window rules see 20 % of it, diluted.
               The release comparison page: ${verdicts}
  ${time(timeline.start)}  the rollout pays no heed (no gate in this pipeline) and gives v14 to everyone.
  ~${hhmm(timeline.start + early * MINUTE_MS)}-${hhmm(timeline.start + late * MINUTE_MS)}  the default rules alert: output length (PSI) first, then the thumbs-down
               rate (z-test), each after holding for its \`for\` duration (5 min); the sink prints them here,
               the dashboard and the status page show the incident, and each alert links to its chart.
  ${time(timeline.end)}  ${bot.slug} rolls back to prompt ${bot.prompt_version}; the alerts resolve by ~${hhmm(timeline.end + RESOLVED_AFTER_MIN * MINUTE_MS)}.
               The verdict stays fail; the comparison page shows v14's minutes ending at the rollback.`);
}
