// /dashboard/settings/probes: the probe settings and their admin forms. A form becomes the
// /v1/probes body (probe-form.ts), is checked by the same schema and saved by the same
// operation (src/http/probe-actions.ts), audited as probe.create / probe.update /
// probe.delete. A refused field is shown beside it (400, nothing saved); a limit reached
// or a form older than the probe is refused (409).
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { probesTable } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { ApiError, type FieldIssue } from "../../http/errors";
import {
  createProbe,
  deleteProbe,
  findProbe,
  type ProbeActor,
  updateProbe,
} from "../../http/probe-actions";
import { toProbe } from "../../http/probe-schema";
import { CreateProbeSchema, UpdateProbeSchema } from "../../probes/probe-schema";
import { OperationError } from "../../shared/operation-error";
import type { z } from "../../zod";
import { probeCreateBody, probeFieldOf, probeUpdateBody, probeValues } from "./probe-form";
import { ProbeSettingsPage } from "./probe-settings";
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

const HOME = "/dashboard/settings/probes";
const NEEDS = "Changing probes";
const NEW_VALUES = {
  method: "POST",
  interval_minutes: "5",
  timeout_ms: "10000",
  enabled: "on",
  alert_consecutive: "2",
  alert_severity: "critical",
};

async function settingsPage(
  c: Ctx,
  s: Session,
  extra: { state?: FormState; flash?: string; editing?: string } = {},
  status = 200,
) {
  const editing =
    extra.editing ?? (extra.state && extra.state.form !== "new" ? extra.state.form : undefined);
  const mine = eq(probesTable.projectId, s.projectId);
  const rows = await drizzle(c.env.DB)
    .select()
    .from(probesTable)
    .where(editing ? and(mine, eq(probesTable.id, editing)) : mine)
    .orderBy(probesTable.createdAt);
  const probes = rows.map((r) => {
    const p = toProbe(r);
    return {
      id: r.id,
      name: p.name,
      deployment: `${p.deployment.environment}/${p.deployment.slug}`,
      enabled: p.enabled,
      secretNames: Object.keys(p.secret_headers).sort(),
      values: probeValues(r),
    };
  });
  const node = (
    <ProbeSettingsPage
      viewer={viewerOf(s)}
      probes={probes}
      newValues={NEW_VALUES}
      {...extra}
      {...(editing ? { editing } : {})}
    />
  );
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

const actor = (c: Ctx, s: Session): ProbeActor => ({
  env: c.env,
  who: whoOf(c),
  projectId: s.projectId,
});

const zodErrors = (error: z.ZodError) =>
  issueErrors(error.issues.map((i) => ({ path: i.path, message: i.message })));

function issueErrors(issues: { path: readonly PropertyKey[] | string; message: string }[]) {
  const errors: Record<string, string> = {};
  for (const i of issues) errors[probeFieldOf(i.path)] ??= i.message;
  return errors;
}

/** Runs a change; the refusals it may answer become the page with the form's errors. */
async function attempt(
  c: Ctx,
  s: Session,
  form: string,
  values: Record<string, string>,
  change: () => Promise<unknown>,
): Promise<Response | null> {
  const refuse = (errors: Record<string, string>, status: number) =>
    settingsPage(c, s, { state: { form, errors, values } }, status);
  try {
    await change();
    return null;
  } catch (thrown) {
    if (thrown instanceof OperationError) {
      return refuse({ _: thrown.message }, thrown.code === "conflict" ? 409 : 404);
    }
    if (thrown instanceof ApiError && thrown.code === "validation_failed") {
      const issues = (thrown.details as { issues?: FieldIssue[] } | undefined)?.issues ?? [];
      return refuse(issues.length ? issueErrors(issues) : { _: thrown.message }, 400);
    }
    if (thrown instanceof ApiError && thrown.code === "conflict") {
      return refuse({ _: thrown.message }, 409);
    }
    throw thrown;
  }
}

const versionOf = (form: Record<string, string>) => {
  const n = Number(form.version);
  return Number.isSafeInteger(n) ? n : -1;
};

export const probeSettingsRoutes = new Hono<AppEnv>()
  .get("/", (c) =>
    withSession(c, (s) => {
      const done = c.req.query("done");
      return settingsPage(c, s, done ? { flash: `Probe ${done}.` } : {});
    }),
  )
  .get("/:id", (c) =>
    withSession(c, async (s) => {
      const id = c.req.param("id");
      const found = await c.env.DB.prepare("SELECT 1 FROM probes WHERE id = ? AND project_id = ?")
        .bind(id, s.projectId)
        .first();
      if (!found) {
        const state = {
          form: "new",
          errors: { _: `No probe '${id}' in this project.` },
          values: {},
        };
        return settingsPage(c, s, { state }, 404);
      }
      return settingsPage(c, s, { editing: id });
    }),
  )
  .post("/", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const { body, errors } = probeCreateBody(form);
    const parsed = CreateProbeSchema.safeParse(body);
    const all = { ...(parsed.success ? {} : zodErrors(parsed.error)), ...errors };
    if (!parsed.success || Object.keys(errors).length > 0) {
      return settingsPage(c, s, { state: { form: "new", errors: all, values: form } }, 400);
    }
    let id = "";
    const refused = await attempt(c, s, "new", form, async () => {
      id = (await createProbe(actor(c, s), parsed.data)).id;
    });
    return refused ?? seeOther(`${HOME}?done=created#probe-${id}`);
  })
  .post("/:id/delete", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { s } = admitted;
    const refused = await attempt(c, s, c.req.param("id"), {}, () =>
      deleteProbe(actor(c, s), c.req.param("id")),
    );
    return refused ?? seeOther(`${HOME}?done=deleted`);
  })
  .post("/:id/:switch{pause|resume}", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const id = c.req.param("id");
    const enabled = c.req.param("switch") === "resume";
    const refused = await attempt(c, s, id, {}, async () => {
      const before = await findProbe(c.env.DB, s.projectId, id);
      await updateProbe(actor(c, s), before, { enabled }, versionOf(form));
    });
    return refused ?? seeOther(`${HOME}?done=${enabled ? "resumed" : "paused"}#probe-${id}`);
  })
  .post("/:id", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const id = c.req.param("id");
    const { body, errors } = probeUpdateBody(form);
    const parsed = UpdateProbeSchema.safeParse(body);
    if (!parsed.success || Object.keys(errors).length > 0) {
      const all = { ...(parsed.success ? {} : zodErrors(parsed.error)), ...errors };
      return settingsPage(c, s, { state: { form: id, errors: all, values: form } }, 400);
    }
    const refused = await attempt(c, s, id, form, async () => {
      const before = await findProbe(c.env.DB, s.projectId, id);
      await updateProbe(actor(c, s), before, parsed.data, versionOf(form));
    });
    return refused ?? seeOther(`${HOME}?done=saved#probe-${id}`);
  });
