// /dashboard/settings/status-page: the status page settings and their admin forms. The
// form becomes the `status_page` body the API takes (status-page-form.ts), is checked by the
// same schema and saved by the same operation as PATCH /v1/projects/:id
// (src/http/project-actions.ts), audited as `project.update`. A refused field is shown
// beside it (400, nothing saved); a slug another project uses is refused beside the slug
// (409); a form older than the settings is refused (409).
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { findProject, SlugTakenError, updateProject } from "../../http/project-actions";
import type { StatusPageSettings } from "../../projects/status-page-settings";
import { StatusPageSettingsSchema } from "../../projects/status-page-settings";
import { projectDeployments } from "./data";
import {
  adminForm,
  type Ctx,
  page,
  pageWithStatus,
  seeOther,
  viewerOf,
  withSession,
} from "./route-kit";
import type { Session } from "./session";
import type { FormState } from "./settings-fields";
import { statusFieldOf, statusPageBody, statusPageValues } from "./status-page-form";
import { StatusPageSettingsPage } from "./status-page-settings";

const HOME = "/dashboard/settings/status-page";
const NEEDS = "Changing the status page";

/** A short fingerprint of the stored settings, for "changed meanwhile". */
async function versionOf(settings: StatusPageSettings | null): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify(settings)),
  );
  return [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

async function load(c: Ctx, s: Session) {
  const [project, deployments] = await Promise.all([
    findProject(c.env.DB, s.projectId),
    projectDeployments(c.env.DB, s.projectId),
  ]);
  const rows = deployments.map((d) => ({ environment: d.environment, slug: d.slug }));
  return { settings: project.statusPage ?? null, rows };
}

async function settingsPage(
  c: Ctx,
  s: Session,
  extra: { state?: FormState; flash?: string } = {},
  status = 200,
) {
  const { settings, rows } = await load(c, s);
  const node = (
    <StatusPageSettingsPage
      viewer={viewerOf(s)}
      deployments={rows}
      values={statusPageValues(settings, rows)}
      exists={settings !== null}
      version={await versionOf(settings)}
      {...extra}
    />
  );
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

const actor = (c: Ctx, s: Session) => ({ db: c.env.DB, who: whoOf(c), projectId: s.projectId });

export const statusPageRoutes = new Hono<AppEnv>()
  .get("/", (c) =>
    withSession(c, (s) => {
      const done = c.req.query("done");
      return settingsPage(
        c,
        s,
        done ? { flash: done === "removed" ? "Status page removed." : "Status page saved." } : {},
      );
    }),
  )
  .post("/", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const refuse = (errors: Record<string, string>, status: number) =>
      settingsPage(c, s, { state: { form: "page", errors, values: form } }, status);
    const { settings, rows: deployments } = await load(c, s);
    if ((form.version ?? "") !== (await versionOf(settings))) {
      return refuse(
        {
          _: "The status page was changed by someone else since you opened it; reload to see the change",
        },
        409,
      );
    }
    const { body, rows } = statusPageBody(form, deployments, settings?.probes);
    const parsed = StatusPageSettingsSchema.safeParse(body);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) errors[statusFieldOf(i.path, rows)] ??= i.message;
      return refuse(errors, 400);
    }
    try {
      await updateProject(actor(c, s), { status_page: parsed.data });
    } catch (thrown) {
      if (!(thrown instanceof SlugTakenError)) throw thrown;
      return refuse({ slug: `'${thrown.slug}' is used by another project` }, 409);
    }
    return seeOther(`${HOME}?done=saved`);
  })
  .post("/remove", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    await updateProject(actor(c, admitted.s), { status_page: null });
    return seeOther(`${HOME}?done=removed`);
  });
