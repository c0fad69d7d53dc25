// A deployment's baselines (/dashboard/d/:env/:slug/baselines): the pinned baselines with
// their range and size, which one is active, and for admins Activate, Delete and a form to
// capture one from a UTC time range or a release, each error beside its field.
import { formatWhen } from "../format";
import { Field, type FormState, Hidden } from "./settings-fields";
import { Shell, type Viewer } from "./shell";

export interface BaselineView {
  id: string;
  kind: string;
  label: string;
  from: number;
  to: number;
  count: number;
  active: boolean;
}

export function BaselinesPage(props: {
  viewer: Viewer;
  base: string;
  slug: string;
  environment: string;
  baselines: BaselineView[];
  state?: FormState;
  flash?: string;
}) {
  const { viewer, state, base } = props;
  const general = state?.errors._ ?? null;
  const action = `${base}/baselines`;
  return (
    <Shell title={`${props.slug}: baselines`} viewer={viewer}>
      <p class="small" style="margin:1rem 0 .25rem">
        <a href={base}>← {props.slug}</a>
      </p>
      <h1 style="margin:0 0 .5rem">
        Baselines{" "}
        <span class="muted" style="font-weight:400;font-size:1rem">
          {props.slug} · {props.environment}
        </span>
      </h1>
      <p class="muted small">
        Drift is measured against the active pinned baseline; without one, against the rolling 7
        days (or what ran before the latest release change). The same operations as{" "}
        <code>
          /v1/deployments/{props.environment}/{props.slug}/baselines
        </code>
        , audited.
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
      {props.baselines.length === 0 ? (
        <p class="card muted">No pinned baseline: the rolling one is in use.</p>
      ) : null}
      <div class="stack">
        {props.baselines.map((b) => (
          <article class="card" id={`baseline-${b.id}`} data-baseline={b.id}>
            <div class="row">
              <h3>{b.label}</h3>
              <span class={b.active ? "pill" : "pill warn"}>
                {b.kind} · {b.active ? "active" : "inactive"}
              </span>
            </div>
            <p class="muted small" style="margin:.3rem 0 0">
              {formatWhen(b.from)} to {formatWhen(b.to)} · {b.count.toLocaleString("en")}{" "}
              interactions
            </p>
            {viewer.admin ? (
              <div class="actions">
                {b.active ? null : (
                  <form method="post" action={`${action}/${b.id}/activate`}>
                    <Hidden viewer={viewer} />
                    <button type="submit">Activate</button>
                  </form>
                )}
                <form method="post" action={`${action}/${b.id}/delete`}>
                  <Hidden viewer={viewer} />
                  <button type="submit">Delete</button>
                </form>
              </div>
            ) : null}
          </article>
        ))}
      </div>
      {viewer.admin ? (
        <section aria-labelledby="capture">
          <h2 id="capture">Capture a baseline</h2>
          <form method="post" action={action} class="card settings">
            <Hidden viewer={viewer} />
            <Field form="new" name="from" label="From (UTC)" type="datetime-local" state={state} />
            <Field form="new" name="to" label="To (UTC)" type="datetime-local" state={state} />
            <span class="muted small">or a release:</span>
            <Field form="new" name="model" label="Model" state={state} />
            <Field form="new" name="prompt_version" label="Prompt version" state={state} />
            <Field form="new" name="release" label="Release" state={state} />
            <Field form="new" name="provider" label="Provider" state={state} />
            <Field form="new" name="label" label="Label (optional)" state={state} />
            <label>
              <span>
                <input type="checkbox" name="activate" value="on" checked /> Activate
              </span>
            </label>
            <button type="submit" class="primary">
              Capture
            </button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}
