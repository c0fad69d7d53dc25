// One incident: its timeline (pending, firing, acknowledged by whom, silenced until when,
// notes, resolved and why), the signal and the rule's conditions, the other signals of its
// change, the rule's recent checks, and for admins the forms that work it.

import { spendIncidentText } from "../../alerts/budgets/spend-incident-text";
import type { IncidentExamples } from "../../alerts/incidents/incident-examples";
import { sameChange } from "../../alerts/incidents/same-change";
import { metricLabel } from "../../alerts/rules/rule-metrics";
import type { Rule } from "../../alerts/rules/rule-schema";
import { formatWhen } from "../format";
import { implicatedChange } from "../incident-text";
import { UPDATE_LABELS } from "../written-updates";
import { ChecksTable, checkNumber } from "./checks-table";
import { IncidentCardHead } from "./incident-card-head";
import type { incidentDetail } from "./incident-data";
import { IncidentExamplesSection } from "./incident-examples";
import { explanationOf, IncidentExplanation } from "./incident-explanation";
import { ownerLink } from "./incident-owner";
import { incidentTimeline } from "./incident-timeline";
import { incidentTimesText } from "./incident-times";
import { Shell, type Viewer } from "./shell";
import { UpdateForm } from "./update-form";

/** A refused form: which one, the field, why, and what was typed (kept for the retry). */
export interface FormProblem {
  form: "update" | "resolve" | "actions";
  field: "status" | "text";
  message: string;
  text: string;
}

type Detail = Awaited<ReturnType<typeof incidentDetail>>;

/** The rule's conditions, one phrase each, as Grafana lists an alert rule's. */
export function ruleConditions(r: Rule): [string, string][] {
  const out: [string, string][] = [
    ["Metric", `${metricLabel(r.metric)} (${r.metric})`],
    ["Test", `${r.test}${r.quantile ? ` at ${r.quantile}` : ""}, ${r.direction ?? "up"}`],
    ["Threshold", String(r.threshold)],
    ["Window", `${r.window_minutes} min, at least ${r.min_samples} samples`],
    ["Pending for", `${r.for_minutes} min before firing`],
    ["No data", r.no_data],
    ["Severity", r.severity],
  ];
  if (r.min_effect !== undefined) out.push(["Minimum effect", String(r.min_effect)]);
  if (r.alpha !== undefined) out.push(["Significance", String(r.alpha)]);
  return out;
}

function Actions({
  d,
  viewer,
  problem,
  self,
}: {
  d: Detail;
  viewer: Viewer;
  problem: FormProblem | undefined;
  self: string;
}) {
  const i = d.incident;
  const err = (form: FormProblem["form"]) => (problem?.form === form ? problem : undefined);
  const resolveErr = err("resolve");
  return (
    <section aria-labelledby="act" class="card">
      <h2 id="act" style="margin-top:0">
        Work this incident
      </h2>
      {err("actions") ? (
        <p class="error" role="alert">
          {err("actions")?.message}
        </p>
      ) : null}
      <div class="actions">
        {i.ackedAt === null ? (
          <form method="post" action={`/dashboard/incidents/${i.id}/ack`}>
            <input type="hidden" name="csrf" value={viewer.csrf} />
            <input type="hidden" name="back" value={self} />
            <button type="submit">Acknowledge</button>
          </form>
        ) : null}
        <form method="post" action={`/dashboard/incidents/${i.id}/silence`}>
          <input type="hidden" name="csrf" value={viewer.csrf} />
          <input type="hidden" name="back" value={self} />
          <label class="sr" for="silence-minutes">
            Silence for
          </label>
          <select id="silence-minutes" name="minutes">
            <option value="60">1 hour</option>
            <option value="240">4 hours</option>
            <option value="1440">1 day</option>
            <option value="10080">7 days</option>
          </select>
          <button type="submit">Silence</button>
        </form>
      </div>
      <form method="post" action={`/dashboard/incidents/${i.id}/resolve`} class="stack-form">
        <input type="hidden" name="csrf" value={viewer.csrf} />
        <input type="hidden" name="back" value={self} />
        <label for="resolve-text">Resolve, with a note on why (optional)</label>
        <textarea
          id="resolve-text"
          name="text"
          rows={2}
          maxlength={2000}
          aria-invalid={resolveErr ? "true" : undefined}
          aria-describedby={resolveErr ? "resolve-error" : undefined}
        >
          {resolveErr?.text ?? ""}
        </textarea>
        {resolveErr ? (
          <p class="error" id="resolve-error" role="alert">
            {resolveErr.message}
          </p>
        ) : null}
        <button type="submit">Resolve</button>
      </form>
      <h3 style="margin:.8rem 0 .2rem">Write an update</h3>
      {err("update") ? (
        <p class="error" id="update-error" role="alert">
          {err("update")?.message}
        </p>
      ) : null}
      <UpdateForm id={i.id} csrf={viewer.csrf} back={self} text={err("update")?.text} />
    </section>
  );
}

export function IncidentPage(props: {
  viewer: Viewer;
  d: Detail;
  rules: readonly Rule[];
  now: number;
  problem?: FormProblem;
  examples?: IncidentExamples | null;
}) {
  const { d, viewer, now } = props;
  const i = d.incident;
  const rule = props.rules.find((r) => r.id === i.ruleId) ?? null;
  const check = (i.lastCheck ?? {}) as Record<string, unknown>;
  const metric = typeof check.metric === "string" ? check.metric : null;
  // Budget and user-share alerts have no drift rule to name them by.
  const spend = spendIncidentText(i.ruleId, d.budget?.name ?? null, i.lastCheck);
  const title =
    rule?.name ?? spend?.title ?? (metric ? metricLabel(metric as Rule["metric"]) : i.ruleId);
  const message = typeof check.message === "string" ? check.message : null;
  const self = `/dashboard/incidents/${i.id}`;
  const owner = ownerLink(d);
  const change = implicatedChange(d.releases, i.startedAt);
  const key = (x: { startedAt: number }) => ({
    startedAt: x.startedAt,
    changeAt: implicatedChange(d.releases, x.startedAt)?.at ?? null,
  });
  const siblings = d.siblings.filter((x) => sameChange(key(i), key(x)));
  const ruleNames = new Map(props.rules.map((r) => [r.id, r.name]));
  const timeline = incidentTimeline(i, d.audits, d.updates, formatWhen);
  const open = i.resolvedAt === null;
  return (
    <Shell title={title} viewer={viewer}>
      <p class="small" style="margin:1rem 0 .25rem">
        <a href="/dashboard/incidents">← Incidents</a> · <a href={owner.href}>{owner.name}</a>
      </p>
      <article class="card" id={`incident-${i.id}`} data-incident={i.id}>
        <IncidentCardHead title={title} i={{ ...i, message }} />
        <p class="muted small" style="margin:.3rem 0 0">
          {owner.where} · {incidentTimesText(i, now)}
          {change ? ` · after ${change.summary}` : ""} ·{" "}
          <a href={owner.chart?.(open, i.id) ?? owner.href}>{owner.chart ? "chart" : "spend"}</a>
        </p>
      </article>
      {viewer.admin && open ? (
        <Actions d={d} viewer={viewer} problem={props.problem} self={self} />
      ) : props.problem ? (
        // The incident closed under the form: no form to show the reason beside.
        <p class="card error" role="alert">
          {props.problem.message}
        </p>
      ) : null}
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <ol class="card timeline">
          {timeline.map((e) => (
            <li data-kind={e.kind}>
              <time class="muted small">{formatWhen(e.at)}</time> {e.text}
              {e.note ? (
                <p class="excerpt">
                  <b>
                    {UPDATE_LABELS[e.note.status as keyof typeof UPDATE_LABELS] ?? e.note.status}
                  </b>{" "}
                  {e.note.body}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="signal">
        <h2 id="signal">Signal and conditions</h2>
        <div class="card small">
          <p style="margin:0 0 .4rem">
            Last check: {message ?? "–"} (value {checkNumber(check.value)}, baseline{" "}
            {checkNumber(check.baseline_value ?? check.baselineValue)})
          </p>
          {rule || spend ? (
            <dl class="conds">
              {(rule ? ruleConditions(rule) : (spend?.conditions ?? [])).map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </>
              ))}
            </dl>
          ) : (
            <p class="muted">Rule '{i.ruleId}' no longer exists.</p>
          )}
        </div>
        {siblings.length > 0 ? (
          <div class="card small" style="margin-top:10px">
            <p style="margin:0">
              Other signals of {change ? `the change ${change.summary}` : "the same change"}:
            </p>
            <ul>
              {siblings.map((x) => (
                <li>
                  <a href={`/dashboard/incidents/${x.id}`}>{ruleNames.get(x.ruleId) ?? x.ruleId}</a>{" "}
                  · {x.severity} · {x.resolvedAt === null ? x.status : "resolved"}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <IncidentExplanation e={explanationOf(i.lastCheck)} />
      <IncidentExamplesSection incidentId={i.id} x={props.examples ?? null} />
      <section aria-labelledby="checks">
        <h2 id="checks">The rule's checks during the incident</h2>
        {d.checks.length === 0 ? (
          <p class="card muted">No stored check results for this rule in the incident's window.</p>
        ) : (
          <ChecksTable rows={d.checks} by="minute" />
        )}
      </section>
    </Shell>
  );
}
