// Settings → Rules: the rules in force (defaults, overrides, custom), each with a preview
// link (what it would have done over the last 24 h or 7 d) and for admins its edit form
// (folded), Delete (custom rules and overrides), and a new-rule form. Both forms have a
// Preview button that shows what the typed rule would have done, saving nothing.
import type { RulePreview } from "../../alerts/evaluation/rule-preview";
import type { Rule } from "../../alerts/rules/rule-schema";
import { RuleFields } from "./rule-fields";
import { ruleFormValues } from "./rule-form";
import { type DeploymentPreview, PREVIEW_RANGES, type PreviewRange } from "./rule-preview-data";
import { type FormState, Hidden } from "./settings-fields";
import { Shell, type Viewer } from "./shell";

const HOME = "/dashboard/settings/rules";

export interface RuleView {
  rule: Rule;
  source: "default" | "override" | "custom";
  version: string;
}

export interface PreviewView {
  /** What was previewed: a stored rule's name, or "the rule as typed". */
  title: string;
  /** The stored rule previewed, for the range links; null for a typed one. */
  ruleId: string | null;
  range: PreviewRange;
  previews: DeploymentPreview[];
  covered: number;
}

const NEW_RULE: Record<string, string> = {
  name: "",
  metric: "error_rate",
  test: "z_test",
  threshold: "4",
  min_samples: "50",
  window_minutes: "15",
  for_minutes: "5",
  repeat_interval_minutes: "240",
  severity: "warning",
  no_data: "ignore",
  send_resolved: "on",
  enabled: "on",
};

function previewText(p: RulePreview, range: PreviewRange): string {
  if (p.unsupported) return p.unsupported;
  if (p.decided === 0) return `no hour with enough data in the last ${range}`;
  const fired = p.firings === 1 ? "would have fired once" : `would have fired ${p.firings} times`;
  return `${fired} (${p.breaches} of ${p.decided} decided hours breaching, of ${p.hours})`;
}

function PreviewPanel({ p }: { p: PreviewView }) {
  return (
    <section class="card" id="preview" aria-labelledby="preview-title" data-preview={p.range}>
      <h2 id="preview-title" style="margin-top:0">
        Preview: {p.title}, last {p.range}
      </h2>
      {p.ruleId ? (
        <nav class="tabs" aria-label="Preview range">
          {PREVIEW_RANGES.map((r) => (
            <a
              href={`${HOME}?preview=${encodeURIComponent(p.ruleId ?? "")}&range=${r}#preview`}
              aria-current={r === p.range ? "page" : undefined}
            >
              {r}
            </a>
          ))}
        </nav>
      ) : null}
      <p class="muted small">
        Re-run by the evaluator on each hour's stored bucket against the 7 days before the range; a
        firing is a run of breaching hours covering the rule's pending time. The cron checks every
        minute, so real incidents can differ.
        {p.covered > p.previews.length
          ? ` First ${p.previews.length} of ${p.covered} deployments.`
          : ""}
      </p>
      {p.previews.length === 0 ? (
        <p class="muted">The rule covers no deployment of this project yet.</p>
      ) : (
        <ul>
          {p.previews.map((d) => (
            <li data-preview-deployment={d.slug} data-firings={d.preview.firings}>
              <b>{d.slug}</b> ({d.environment}): {previewText(d.preview, p.range)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Preview the typed rule over the last 24 h or 7 d (nothing saved). */
function PreviewButton({ form }: { form: string }) {
  return (
    <span class="actions">
      <label class="sr" for={`${form}-range`}>
        Preview range
      </label>
      <select id={`${form}-range`} name="range">
        {PREVIEW_RANGES.map((r) => (
          <option value={r}>{r}</option>
        ))}
      </select>
      <button type="submit" name="intent" value="preview">
        Preview
      </button>
    </span>
  );
}

function RuleCard(props: {
  r: RuleView;
  viewer: Viewer;
  state: FormState | undefined;
  channels: { id: string; name: string }[];
}) {
  const { r, viewer, state } = props;
  const rule = r.rule;
  const open = state?.form === rule.id;
  return (
    <article class="card" id={`rule-${rule.id}`} data-rule={rule.id}>
      <div class="row">
        <h3>{rule.name}</h3>
        <span class={rule.enabled ? "pill" : "pill warn"}>
          {r.source} · {rule.severity} · {rule.enabled ? "enabled" : "disabled"}
        </span>
      </div>
      <p class="muted small" style="margin:.3rem 0 0">
        {rule.metric} · {rule.test} {rule.threshold} · window {rule.window_minutes} min · pending{" "}
        {rule.for_minutes} min ·{" "}
        <a href={`${HOME}?preview=${encodeURIComponent(rule.id)}&range=24h#preview`}>
          preview 24 h
        </a>{" "}
        · <a href={`${HOME}?preview=${encodeURIComponent(rule.id)}&range=7d#preview`}>7 d</a>
      </p>
      {viewer.admin ? (
        <details open={open}>
          <summary class="small">Edit</summary>
          <form method="post" action={`${HOME}/${encodeURIComponent(rule.id)}`} class="settings">
            <Hidden viewer={viewer} />
            <input type="hidden" name="version" value={r.version} />
            <RuleFields
              form={rule.id}
              values={ruleFormValues(rule)}
              state={state}
              channels={props.channels}
            />
            <PreviewButton form={rule.id} />
            <button type="submit" name="intent" value="save" class="primary">
              Save
            </button>
          </form>
          {r.source === "default" ? null : (
            <form
              method="post"
              action={`${HOME}/${encodeURIComponent(rule.id)}/delete`}
              class="actions"
            >
              <Hidden viewer={viewer} />
              <button type="submit">
                {r.source === "override" ? "Restore the default" : "Delete"}
              </button>
            </form>
          )}
        </details>
      ) : null}
    </article>
  );
}

export function RulesPage(props: {
  viewer: Viewer;
  rules: RuleView[];
  channels: { id: string; name: string }[];
  state?: FormState;
  flash?: string;
  preview?: PreviewView;
}) {
  const { viewer, state } = props;
  const general = state?.errors._ ?? null;
  return (
    <Shell title="Rules" viewer={viewer}>
      <h1 style="margin:1rem 0 .5rem">Rules</h1>
      <p class="muted small">
        The alert rules in force: the defaults (changed by an override), then custom rules. The same
        settings as <code>/v1/rules</code>; every change is in the audit log.
      </p>
      {props.flash ? (
        <p class="card flash" role="status">
          {props.flash}
        </p>
      ) : null}
      {general ? (
        <p class="card error" role="alert">
          {general}
        </p>
      ) : null}
      {props.preview ? <PreviewPanel p={props.preview} /> : null}
      <div class="stack">
        {props.rules.map((r) => (
          <RuleCard r={r} viewer={viewer} state={state} channels={props.channels} />
        ))}
      </div>
      {viewer.admin ? (
        <section aria-labelledby="new-rule">
          <h2 id="new-rule">New rule</h2>
          <form method="post" action={HOME} class="card settings">
            <Hidden viewer={viewer} />
            <RuleFields form="new" values={NEW_RULE} state={state} channels={props.channels} />
            <PreviewButton form="new" />
            <button type="submit" name="intent" value="save" class="primary">
              Create rule
            </button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}
