// Settings → Probes: the probes with pause or resume and delete, and a form for a new one;
// each probe's edit page (/dashboard/settings/probes/:id) has its definition in a form (URL, method, headers, secret
// headers, body, extractor, assertions, interval, timeout, alert policy, running or paused), pause or
// resume, delete. One form per page keeps the list small with many probes. The same schemas and operations as
// /v1/probes (src/http/probe-actions.ts); each error is shown beside its field. Moving a
// probe's URL to another origin needs its secret headers again, as the API requires.
// Read keys see the list without forms. No script.
import { SEVERITIES } from "../../probes/probe-schema";
import { Field, type FormState, Hidden } from "./settings-fields";
import { Shell, type Viewer } from "./shell";

export interface ProbeSettingsRow {
  id: string;
  name: string;
  deployment: string;
  enabled: boolean;
  secretNames: string[];
  values: Record<string, string>;
}

const HOME = "/dashboard/settings/probes";
const action = (id: string, what = "") => `${HOME}/${encodeURIComponent(id)}${what}`;

function Area(props: {
  form: string;
  name: string;
  label: string;
  state: FormState | undefined;
  value: string;
  hint?: string;
}) {
  const id = `${props.form}-${props.name}`;
  const mine = props.state?.form === props.form;
  const error = mine ? props.state?.errors[props.name] : undefined;
  const typed = mine ? props.state?.values[props.name] : undefined;
  return (
    <label for={id}>
      {props.label}
      {props.hint ? <span class="muted small"> {props.hint}</span> : null}
      <textarea
        id={id}
        name={props.name}
        rows={3}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {typed ?? props.value}
      </textarea>
      {error ? (
        <span class="error small" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </label>
  );
}

/** The alert policy's severity, with its error beside it and what was typed kept. */
function SeveritySelect(props: { form: string; state: FormState | undefined; value: string }) {
  const { form, state } = props;
  const id = `${form}-alert_severity`;
  const mine = state?.form === form;
  const error = mine ? state?.errors.alert_severity : undefined;
  const severity = (mine ? state?.values.alert_severity : undefined) ?? props.value;
  return (
    <label for={id}>
      Severity
      <select id={id} name="alert_severity" aria-invalid={error ? "true" : undefined}>
        {SEVERITIES.map((s) => (
          <option value={s} selected={severity === s}>
            {s}
          </option>
        ))}
      </select>
      {error ? <span class="error small">{error}</span> : null}
    </label>
  );
}

function ProbeFields(props: { form: string; state?: FormState; values: Record<string, string> }) {
  const { form, state, values } = props;
  const mine = state?.form === form;
  const v = mine ? (state?.values ?? values) : values;
  const field = (name: string, label: string, type = "text") => (
    <Field
      form={form}
      name={name}
      label={label}
      state={state}
      value={values[name] ?? ""}
      type={type}
    />
  );
  const area = (name: string, label: string, hint?: string) => (
    <Area
      form={form}
      name={name}
      label={label}
      state={state}
      value={values[name] ?? ""}
      hint={hint}
    />
  );
  return (
    <div class="settings">
      {field("name", "Name")}
      {field("url", "URL")}
      <label for={`${form}-method`}>
        Method
        <select id={`${form}-method`} name="method">
          {["GET", "POST", "PUT", "PATCH"].map((m) => (
            <option value={m} selected={(v.method ?? "POST") === m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      {field("interval_minutes", "Every (minutes)", "number")}
      {field("timeout_ms", "Timeout (ms)", "number")}
      <label>
        <span>
          <input type="checkbox" name="enabled" value="on" checked={v.enabled === "on"} /> Running
        </span>
      </label>
      <fieldset class="settings" data-alert-policy={form}>
        <legend class="small">
          Alert when this many runs in a row fail, or this many of the last runs (leave both empty
          for the streak only)
        </legend>
        {field("alert_consecutive", "Failing in a row", "number")}
        {field("alert_failures", "Failing", "number")}
        {field("alert_runs", "Of the last runs", "number")}
        <SeveritySelect form={form} state={state} value={values.alert_severity ?? "critical"} />
      </fieldset>
      {area("headers", "Headers", "JSON object")}
      {area("secret_headers", "Secret headers", "JSON object; a value null removes one")}
      {area("body", "Request body", "text or JSON; empty for none")}
      {area("extractor", "Extractor", 'JSON, e.g. {"type":"json","path":"$.answer"}')}
      {area("assertions", "Assertions", "JSON array")}
    </div>
  );
}

export function ProbeSettingsPage(props: {
  viewer: Viewer;
  probes: ProbeSettingsRow[];
  newValues: Record<string, string>;
  /** One probe's edit page (its form); else the list, each probe linking to its form. */
  editing?: string;
  state?: FormState;
  flash?: string;
}) {
  const { viewer, state } = props;
  const general = state?.errors._ ?? null;
  return (
    <Shell title="Probes" viewer={viewer}>
      <h1 style="margin:1rem 0 .5rem">Probe settings</h1>
      <p class="muted small">
        The same settings as <code>/v1/probes</code>; every change is in the audit log. Secret
        values are never shown again: a new URL on another origin needs each secret header again (or{" "}
        <code>null</code> to drop it). Runs and results are on{" "}
        <a href="/dashboard/probes">Probes</a>.
      </p>
      {props.flash ? (
        <p class="card flash" role="status">
          {props.flash}
        </p>
      ) : null}
      {general ? (
        <p class="card error" role="alert" data-form={state?.form}>
          {general}
        </p>
      ) : null}
      {props.probes.length === 0 ? <p class="muted">No probes yet.</p> : null}
      {props.editing ? (
        <p class="small">
          <a href={HOME}>← All probe settings</a>
        </p>
      ) : null}
      {props.probes.map((p) => (
        <section class="card" id={`probe-${p.id}`}>
          <h2 style="margin:0 0 .3rem">
            <a href={`/dashboard/probes/${encodeURIComponent(p.id)}`}>{p.name}</a>{" "}
            <span class="muted small">
              {p.deployment} · {p.enabled ? "running" : "paused"}
              {p.secretNames.length > 0 ? ` · secret headers: ${p.secretNames.join(", ")}` : ""}
            </span>
          </h2>
          {viewer.admin ? (
            <>
              {props.editing === p.id ? (
                <form method="post" action={action(p.id)} class="stack-form">
                  <Hidden viewer={viewer} />
                  <input type="hidden" name="version" value={p.values.version ?? ""} />
                  <ProbeFields form={p.id} state={state} values={p.values} />
                  <button type="submit">Save</button>
                </form>
              ) : (
                <a href={action(p.id)}>Edit</a>
              )}{" "}
              <form
                method="post"
                action={action(p.id, p.enabled ? "/pause" : "/resume")}
                class="inline"
              >
                <Hidden viewer={viewer} />
                <input type="hidden" name="version" value={p.values.version ?? ""} />
                <button type="submit">{p.enabled ? "Pause" : "Resume"}</button>
              </form>{" "}
              <form method="post" action={action(p.id, "/delete")} class="inline">
                <Hidden viewer={viewer} />
                <button type="submit">Delete</button>
              </form>
            </>
          ) : null}
        </section>
      ))}
      {viewer.admin && !props.editing ? (
        <section class="card">
          <h2 style="margin:0 0 .3rem">New probe</h2>
          <form method="post" action={HOME} class="stack-form">
            <Hidden viewer={viewer} />
            <div class="settings">
              <Field
                form="new"
                name="environment"
                label="Environment"
                state={state}
                value="production"
              />
              <Field form="new" name="deployment" label="Deployment" state={state} />
            </div>
            <ProbeFields form="new" state={state} values={props.newValues} />
            <button type="submit">Create probe</button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}
