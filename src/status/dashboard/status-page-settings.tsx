// Settings → Status page: the public page's address, title, description and switches, and
// which deployments it shows under which public names and groups. Admins change them with
// one form (the same operation and schema as PATCH /v1/projects/:id's `status_page`) or
// remove the page; each error is shown beside its field. Read keys see the settings.
import { Field, type FormState, Hidden } from "./settings-fields";
import { Shell, type Viewer } from "./shell";
import type { DeploymentRow } from "./status-page-form";

export function StatusPageSettingsPage(props: {
  viewer: Viewer;
  deployments: DeploymentRow[];
  values: Record<string, string>;
  exists: boolean;
  version: string;
  state?: FormState;
  flash?: string;
}) {
  const { viewer, state } = props;
  const v = state?.form === "page" ? state.values : props.values;
  const general = state?.errors._ ?? null;
  const error = (name: string) => (state?.form === "page" ? state.errors[name] : undefined);
  const field = (name: string, label: string) => (
    <Field form="page" name={name} label={label} state={state} value={props.values[name] ?? ""} />
  );
  return (
    <Shell title="Status page" viewer={viewer}>
      <h1 style="margin:1rem 0 .5rem">Status page</h1>
      <p class="muted small">
        The public page at <code>/status/{props.values.slug || "<slug>"}</code>. The same settings
        as <code>status_page</code> in <code>PATCH /v1/projects/{viewer.projectId}</code>; every
        change is in the audit log.
        {props.exists ? "" : " This project has no status page yet."}
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
      <form method="post" action="/dashboard/settings/status-page" class="card stack-form">
        <Hidden viewer={viewer} />
        <input type="hidden" name="version" value={props.version} />
        <div class="settings">
          {field("slug", "Address (slug)")}
          {field("title", "Title")}
          {field("description", "Description (optional)")}
          <label>
            <span>
              <input type="checkbox" name="enabled" value="on" checked={v.enabled === "on"} />{" "}
              Published
            </span>
          </label>
          <label>
            <span>
              <input
                type="checkbox"
                name="show_release_labels"
                value="on"
                checked={v.show_release_labels === "on"}
              />{" "}
              Name releases in incidents
            </span>
          </label>
        </div>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Show</th>
                <th scope="col">Deployment</th>
                <th scope="col">Public name</th>
                <th scope="col">Group</th>
              </tr>
            </thead>
            <tbody>
              {props.deployments.map((d, i) => (
                <tr data-page-deployment={`${d.environment}/${d.slug}`}>
                  <td>
                    <input
                      type="checkbox"
                      name={`d${i}_show`}
                      value="on"
                      checked={v[`d${i}_show`] === "on"}
                      aria-label={`Show ${d.slug}`}
                    />
                  </td>
                  <td>
                    {d.slug} <span class="muted small">{d.environment}</span>
                  </td>
                  <td>
                    <Field
                      form="page"
                      name={`d${i}_name`}
                      label=""
                      state={state}
                      value={props.values[`d${i}_name`] ?? ""}
                    />
                  </td>
                  <td>
                    <Field
                      form="page"
                      name={`d${i}_group`}
                      label=""
                      state={state}
                      value={props.values[`d${i}_group`] ?? ""}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {error("deployments") ? <span class="error small">{error("deployments")}</span> : null}
        </div>
        {viewer.admin ? (
          <button type="submit" class="primary">
            Save
          </button>
        ) : null}
      </form>
      {viewer.admin && props.exists ? (
        <form method="post" action="/dashboard/settings/status-page/remove" class="actions">
          <Hidden viewer={viewer} />
          <button type="submit">Remove the page (frees its address)</button>
        </form>
      ) : null}
    </Shell>
  );
}
