// The rule form's fields, shared by the new-rule form and each rule's edit form: text and
// number inputs, choices and checkboxes, each error beside its field and what was typed
// before a refusal kept (settings-fields.tsx).

import { TESTS } from "../../alerts/rules/rule-metrics";
import { DIRECTIONS, NO_DATA, QUANTILES, SEVERITIES } from "../../alerts/rules/rule-schema";
import { Field, type FormState } from "./settings-fields";

function Choice(props: {
  form: string;
  name: string;
  label: string;
  options: readonly string[];
  value: string;
  error: string | undefined;
  optional?: boolean;
}) {
  const id = `${props.form}-${props.name}`;
  return (
    <label for={id}>
      {props.label}
      <select
        id={id}
        name={props.name}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      >
        {props.optional ? <option value="">(default)</option> : null}
        {props.options.map((o) => (
          <option value={o} selected={o === props.value}>
            {o}
          </option>
        ))}
      </select>
      {props.error ? (
        <span class="error small" id={`${id}-error`}>
          {props.error}
        </span>
      ) : null}
    </label>
  );
}

function Check(props: { name: string; label: string; on: boolean }) {
  return (
    <label>
      <span>
        <input type="checkbox" name={props.name} value="on" checked={props.on} /> {props.label}
      </span>
    </label>
  );
}

export function RuleFields(props: {
  form: string;
  values: Record<string, string>;
  state: FormState | undefined;
  channels: { id: string; name: string }[];
}) {
  const { form, state } = props;
  const mine = state?.form === form;
  const v = mine ? state.values : props.values;
  const error = (name: string) => (mine ? state.errors[name] : undefined);
  const field = (name: string, label: string, type = "text") => (
    <Field
      form={form}
      name={name}
      label={label}
      state={state}
      value={props.values[name] ?? ""}
      type={type}
    />
  );
  return (
    <>
      {field("name", "Name")}
      {field("metric", "Metric (error_rate, latency_ms, evals.x…)")}
      <Choice
        form={form}
        name="test"
        label="Test"
        options={TESTS}
        value={v.test ?? ""}
        error={error("test")}
      />
      {field("threshold", "Threshold")}
      <Choice
        form={form}
        name="direction"
        label="Direction"
        options={DIRECTIONS}
        value={v.direction ?? ""}
        error={error("direction")}
        optional
      />
      <Choice
        form={form}
        name="quantile"
        label="Quantile"
        options={QUANTILES}
        value={v.quantile ?? ""}
        error={error("quantile")}
        optional
      />
      {field("min_effect", "Min effect (z-test)")}
      {field("alpha", "Alpha")}
      {field("bins", "Bins (PSI)")}
      {field("min_samples", "Min samples")}
      {field("window_minutes", "Window (min)")}
      {field("for_minutes", "Pending for (min)")}
      {field("repeat_interval_minutes", "Repeat every (min)")}
      <Choice
        form={form}
        name="severity"
        label="Severity"
        options={SEVERITIES}
        value={v.severity ?? ""}
        error={error("severity")}
      />
      <Choice
        form={form}
        name="no_data"
        label="No data"
        options={NO_DATA}
        value={v.no_data ?? ""}
        error={error("no_data")}
      />
      {field("environment", "Environment (empty: all)")}
      {field("slug_glob", "Deployments (glob, empty: all)")}
      <fieldset class="settings" aria-invalid={error("channels") ? "true" : undefined}>
        <legend class="small">Channels</legend>
        {props.channels.length === 0 ? <span class="muted small">No channels yet.</span> : null}
        {props.channels.map((ch) => (
          <Check name={`channel_${ch.id}`} label={ch.name} on={v[`channel_${ch.id}`] === "on"} />
        ))}
        {error("channels") ? <span class="error small">{error("channels")}</span> : null}
      </fieldset>
      <Check name="send_resolved" label="Notify when resolved" on={v.send_resolved === "on"} />
      <Check name="enabled" label="Enabled" on={v.enabled === "on"} />
    </>
  );
}
