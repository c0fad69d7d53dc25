// The settings pages' form pieces: a labelled input with its error beside it (and the
// value typed before a refusal kept), and the CSRF field.
import type { Viewer } from "./shell";

/** A refused form: which (`new` or a channel id), each field's error, and what was typed. */
export interface FormState {
  form: string;
  errors: Record<string, string>;
  values: Record<string, string>;
}

export function Field(props: {
  form: string;
  name: string;
  label: string;
  state: FormState | undefined;
  value?: string;
  type?: string;
  placeholder?: string;
  required?: boolean;
}) {
  const id = `${props.form}-${props.name}`;
  const error = props.state?.form === props.form ? props.state.errors[props.name] : undefined;
  const typed = props.state?.form === props.form ? props.state.values[props.name] : undefined;
  return (
    <label for={id}>
      {props.label}
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={typed ?? props.value ?? ""}
        placeholder={props.placeholder}
        required={props.required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <span class="error small" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </label>
  );
}

export function Hidden({ viewer }: { viewer: Viewer }) {
  return <input type="hidden" name="csrf" value={viewer.csrf} />;
}
