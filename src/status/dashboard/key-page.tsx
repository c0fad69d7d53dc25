// Settings → Keys: the project's API keys (prefix, scopes, limits, last use; secrets never),
// and for admins the forms to create one (scopes, expiry, allowed origins and deployments),
// rotate and revoke. A new secret is shown once, on the page that answers the form.
import { KEY_SCOPES } from "../../db/schema";
import type { KeyView } from "../../http/key-actions";
import { formatWhen } from "../format";
import { Field, type FormState, Hidden } from "./settings-fields";
import { Shell, type Viewer } from "./shell";

export interface KeyFlash {
  text: string;
  /** A new key's secret: shown this once. */
  secret?: string;
}

const day = (ms: number | null) => (ms === null ? "never" : formatWhen(ms));

function KeyCard(props: { k: KeyView; viewer: Viewer; state: FormState | undefined }) {
  const { k, viewer, state } = props;
  const live = k.revoked_at === null;
  return (
    <article class="card" id={`key-${k.id}`} data-key={k.id}>
      <div class="row">
        <h3>{k.name}</h3>
        <span class={live ? "pill" : "pill warn"}>
          {k.scopes.join(", ")} · {live ? "active" : "revoked"}
        </span>
      </div>
      <p class="muted small" style="margin:.3rem 0 0">
        <code>{k.prefix}…</code> · created {formatWhen(k.created_at)} · expires {day(k.expires_at)}
        {" · "}last used {k.last_used_at === null ? "never" : formatWhen(k.last_used_at)}
        {k.revoked_at !== null ? ` · revoked ${formatWhen(k.revoked_at)}` : ""}
      </p>
      {k.allowed_origins ? (
        <p class="muted small">Origins: {k.allowed_origins.join(", ")}</p>
      ) : null}
      {k.allowed_deployments ? (
        <p class="muted small">Deployments: {k.allowed_deployments.join(", ")}</p>
      ) : null}
      {viewer.admin && live ? (
        <div class="actions">
          <form method="post" action={`/dashboard/settings/keys/${k.id}/rotate`} class="settings">
            <Hidden viewer={viewer} />
            <Field
              form={k.id}
              name="old_key_expires_at"
              label="Old key stops (UTC date; empty: when revoked)"
              type="date"
              state={state}
            />
            <button type="submit">Rotate</button>
          </form>
          <form method="post" action={`/dashboard/settings/keys/${k.id}/revoke`}>
            <Hidden viewer={viewer} />
            <button type="submit">Revoke</button>
          </form>
        </div>
      ) : null}
    </article>
  );
}

function NewKeyForm(props: { viewer: Viewer; state: FormState | undefined }) {
  const { viewer, state } = props;
  const mine = state?.form === "new" ? state : undefined;
  const scopeError = mine?.errors.scopes;
  return (
    <section aria-labelledby="new-key">
      <h2 id="new-key">New key</h2>
      <form method="post" action="/dashboard/settings/keys" class="card settings">
        <Hidden viewer={viewer} />
        <Field form="new" name="name" label="Name" state={state} required />
        <fieldset aria-describedby={scopeError ? "new-scopes-error" : undefined}>
          <legend>Scopes</legend>
          {KEY_SCOPES.map((scope) => (
            <label>
              <span>
                <input
                  type="checkbox"
                  name={`scope_${scope}`}
                  value="on"
                  checked={mine ? mine.values[`scope_${scope}`] === "on" : scope === "ingest"}
                />{" "}
                {scope}
              </span>
            </label>
          ))}
          {scopeError ? (
            <span class="error small" id="new-scopes-error">
              {scopeError}
            </span>
          ) : null}
        </fieldset>
        <Field
          form="new"
          name="expires_at"
          label="Expires (UTC date; empty: never)"
          type="date"
          state={state}
        />
        <Field
          form="new"
          name="allowed_origins"
          label="Allowed origins (ingest-only keys; commas)"
          state={state}
          placeholder="https://app.example.com"
        />
        <Field
          form="new"
          name="allowed_deployments"
          label="Allowed deployments (ingest-only keys; commas)"
          state={state}
          placeholder="production/bot"
        />
        <button type="submit" class="primary">
          Create key
        </button>
      </form>
    </section>
  );
}

export function KeysPage(props: {
  viewer: Viewer;
  keys: KeyView[];
  state?: FormState;
  flash?: KeyFlash;
}) {
  const { viewer, state } = props;
  const general = state?.errors._ ?? null;
  return (
    <Shell title="Keys" viewer={viewer}>
      <h1 style="margin:1rem 0 .5rem">API keys</h1>
      <p class="muted small">
        The same settings as <code>/v1/projects/{viewer.projectId}/keys</code>; every change is in
        the audit log. A rotated key keeps working until it is revoked or its date passes.
      </p>
      {props.flash ? (
        <div class="card flash" role="status">
          <p style="margin:0">{props.flash.text}</p>
          {props.flash.secret ? (
            <p style="margin:.4rem 0 0">
              Secret, shown this once: <code id="created-secret">{props.flash.secret}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      {general ? (
        <p class="card error" role="alert">
          {general}
        </p>
      ) : null}
      <div class="stack">
        {props.keys.map((k) => (
          <KeyCard k={k} viewer={viewer} state={state} />
        ))}
      </div>
      {viewer.admin ? <NewKeyForm viewer={viewer} state={state} /> : null}
    </Shell>
  );
}
