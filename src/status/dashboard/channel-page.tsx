// Settings → Channels: the project's Slack and webhook channels (URLs and secrets masked),
// and for admins the forms to create, edit, delete and send a test, each error beside its
// field. A new webhook's signing secret is shown once, on the page the create answers.
import { CHANNEL_TYPES } from "../../db/schema";
import { formatWhen } from "../format";
import { Field, type FormState, Hidden } from "./settings-fields";
import { Shell, type Viewer } from "./shell";

/** A refused form (see settings-fields.tsx). */
export type ChannelFormState = FormState;

export interface ChannelView {
  id: string;
  type: string;
  name: string;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: number;
  version: string;
}

export interface ChannelFlash {
  text: string;
  /** A new webhook's signing secret: shown this once. */
  secret?: string | null;
}

export function ChannelsPage(props: {
  viewer: Viewer;
  channels: ChannelView[];
  state?: ChannelFormState;
  flash?: ChannelFlash;
}) {
  const { viewer, state } = props;
  const general = state?.errors._ ?? null;
  return (
    <Shell title="Channels" viewer={viewer}>
      <h1 style="margin:1rem 0 .5rem">Channels</h1>
      <p class="muted small">
        Where alerts go: Slack incoming webhooks and signed webhooks. The same settings as{" "}
        <code>/v1/channels</code>; every change is in the audit log.
      </p>
      {props.flash ? (
        <div class="card flash" role="status">
          <p style="margin:0">{props.flash.text}</p>
          {props.flash.secret ? (
            <p style="margin:.4rem 0 0">
              Signing secret, shown this once: <code id="created-secret">{props.flash.secret}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      {general ? (
        <p class="card error" role="alert">
          {general}
        </p>
      ) : null}
      {props.channels.length === 0 ? <p class="card muted">No channels yet.</p> : null}
      <div class="stack">
        {props.channels.map((ch) => (
          <article class="card" id={`channel-${ch.id}`} data-channel={ch.id}>
            <div class="row">
              <h3>{ch.name}</h3>
              <span class={ch.enabled ? "pill" : "pill warn"}>
                {ch.type} · {ch.enabled ? "enabled" : "disabled"}
              </span>
            </div>
            <p class="muted small" style="margin:.3rem 0 0">
              {ch.url} · created {formatWhen(ch.createdAt)}
              {ch.disabledReason ? ` · switched off: ${ch.disabledReason}` : ""}
            </p>
            {viewer.admin ? (
              <>
                <form
                  method="post"
                  action={`/dashboard/settings/channels/${ch.id}`}
                  class="settings"
                >
                  <Hidden viewer={viewer} />
                  <input type="hidden" name="version" value={ch.version} />
                  <Field
                    form={ch.id}
                    name="name"
                    label="Name"
                    state={state}
                    value={ch.name}
                    required
                  />
                  <Field
                    form={ch.id}
                    name="url"
                    label="New URL (empty: keep)"
                    state={state}
                    placeholder="https://…"
                  />
                  <label>
                    <span>
                      <input type="checkbox" name="enabled" value="on" checked={ch.enabled} />{" "}
                      Enabled
                    </span>
                  </label>
                  <button type="submit">Save</button>
                </form>
                <div class="actions">
                  <form method="post" action={`/dashboard/settings/channels/${ch.id}/test`}>
                    <Hidden viewer={viewer} />
                    <button type="submit">Send test</button>
                  </form>
                  <form method="post" action={`/dashboard/settings/channels/${ch.id}/delete`}>
                    <Hidden viewer={viewer} />
                    <button type="submit">Delete</button>
                  </form>
                </div>
              </>
            ) : null}
          </article>
        ))}
      </div>
      {viewer.admin ? (
        <section aria-labelledby="new-channel">
          <h2 id="new-channel">New channel</h2>
          <form method="post" action="/dashboard/settings/channels" class="card settings">
            <Hidden viewer={viewer} />
            <label for="new-type">
              Type
              <select id="new-type" name="type">
                {CHANNEL_TYPES.map((t) => (
                  <option value={t} selected={state?.form === "new" && state.values.type === t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <Field form="new" name="name" label="Name" state={state} required />
            <Field form="new" name="url" label="URL" state={state} required />
            <Field
              form="new"
              name="secret"
              label="Signing secret (webhooks; empty: generated)"
              state={state}
              placeholder="whsec_…"
            />
            <button type="submit" class="primary">
              Create channel
            </button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}
