// /dashboard/d/:env/:slug/baselines: the baselines page and its admin forms. The capture
// form becomes the API's body (baseline-form.ts), is checked by the same schema and calls
// the same operations as /v1/deployments/:env/:slug/baselines
// (src/alerts/baselines/baseline-actions.ts); a refusal re-renders the page with the error
// beside its field and nothing saved.
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import {
  activateBaseline,
  type BaselineActor,
  createBaseline,
  deleteBaseline,
  EmptyRangeError,
} from "../../alerts/baselines/baseline-actions";
import { CaptureSchema } from "../../alerts/baselines/capture-schema";
import { deploymentNamed } from "../../db/deployment-named";
import { baselinesTable } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { OperationError } from "../../shared/operation-error";
import { captureBody } from "./baseline-form";
import { BaselinesPage } from "./baseline-page";
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
import { MessagePage } from "./shell";

type Dep = NonNullable<Awaited<ReturnType<typeof deploymentNamed>>>;

const NEEDS = "Changing baselines";

async function deploymentOf(c: Ctx, s: Session): Promise<Dep | Response> {
  const env = c.req.param("env") ?? "";
  const slug = c.req.param("slug") ?? "";
  const dep = await deploymentNamed(c.env.DB, s.projectId, env, slug);
  if (dep) return dep;
  const message = `No deployment '${slug}' in environment '${env}' in this project.`;
  return page(
    c,
    <MessagePage title="Deployment not found" message={message} viewer={viewerOf(s)} />,
    404,
  );
}

async function baselinesPage(
  c: Ctx,
  s: Session,
  dep: Dep,
  extra: { state?: FormState; flash?: string } = {},
  status = 200,
) {
  const rows = await drizzle(c.env.DB)
    .select({
      id: baselinesTable.id,
      kind: baselinesTable.kind,
      label: baselinesTable.label,
      from: baselinesTable.from,
      to: baselinesTable.to,
      count: baselinesTable.count,
      active: baselinesTable.active,
    })
    .from(baselinesTable)
    .where(eq(baselinesTable.deploymentId, dep.id))
    .orderBy(desc(baselinesTable.createdAt), desc(baselinesTable.id));
  const node = (
    <BaselinesPage
      viewer={viewerOf(s)}
      base={`/dashboard/d/${dep.environment}/${dep.slug}`}
      slug={dep.slug}
      environment={dep.environment}
      baselines={rows}
      {...extra}
    />
  );
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

const actor = (c: Ctx, s: Session, dep: Dep): BaselineActor => ({
  env: c.env,
  who: whoOf(c),
  projectId: s.projectId,
  deploymentId: dep.id,
});

const home = (dep: Dep) => `/dashboard/d/${dep.environment}/${dep.slug}/baselines`;

export const baselineRoutes = new Hono<AppEnv>()
  .get("/", (c) =>
    withSession(c, async (s) => {
      const dep = await deploymentOf(c, s);
      if (dep instanceof Response) return dep;
      const done = c.req.query("done");
      return baselinesPage(c, s, dep, done ? { flash: `Baseline ${done}.` } : {});
    }),
  )
  .post("/", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const dep = await deploymentOf(c, s);
    if (dep instanceof Response) return dep;
    const parsed = CaptureSchema.safeParse(captureBody(form));
    const refuse = (errors: Record<string, string>, status: number) =>
      baselinesPage(c, s, dep, { state: { form: "new", errors, values: form } }, status);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const field = String(i.path.at(-1) ?? "_");
        errors[field === "release" ? "model" : field] ??= i.message;
      }
      return refuse(errors, 400);
    }
    try {
      await createBaseline(actor(c, s, dep), parsed.data);
    } catch (thrown) {
      if (thrown instanceof EmptyRangeError) {
        return refuse({ [parsed.data.release ? "model" : "from"]: thrown.message }, 400);
      }
      if (thrown instanceof OperationError) return refuse({ model: thrown.message }, 400);
      throw thrown;
    }
    return seeOther(`${home(dep)}?done=captured`);
  })
  .post("/:id/:action{activate|delete}", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { s } = admitted;
    const dep = await deploymentOf(c, s);
    if (dep instanceof Response) return dep;
    const id = c.req.param("id");
    try {
      if (c.req.param("action") === "activate") await activateBaseline(actor(c, s, dep), id);
      else await deleteBaseline(actor(c, s, dep), id);
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      return baselinesPage(
        c,
        s,
        dep,
        { state: { form: id, errors: { _: thrown.message }, values: {} } },
        404,
      );
    }
    return seeOther(
      `${home(dep)}?done=${c.req.param("action") === "activate" ? "activated" : "deleted"}`,
    );
  });
