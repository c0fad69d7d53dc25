// /dashboard/settings/channels: the channels page and its admin forms. Each form is checked
// by the API's schemas and field rules and calls the same operation as /v1/channels
// (src/alerts/delivery/channel-actions.ts); a refusal re-renders the page with the error
// beside its field and nothing saved; an edit of a channel changed since the form was
// shown is refused (409) saying so.
import { Hono } from "hono";
import {
  type ChannelActor,
  type ChannelRow,
  channelVersion,
  createChannel,
  createProblems,
  deleteChannel,
  type FieldProblem,
  listChannels,
  maskedChannel,
  testChannel,
  updateChannel,
  urlProblem,
} from "../../alerts/delivery/channel-actions";
import { CreateChannelSchema, UpdateChannelSchema } from "../../alerts/delivery/channel-schema";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { publicOrigin } from "../../net/public-origin";
import { OperationError } from "../../shared/operation-error";
import type { z } from "../../zod";
import { type ChannelFlash, type ChannelFormState, ChannelsPage } from "./channel-page";
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

const HOME = "/dashboard/settings/channels";

async function channelsPage(
  c: Ctx,
  s: Session,
  extra: { state?: ChannelFormState; flash?: ChannelFlash } = {},
  status = 200,
) {
  const rows = await listChannels(c.env.DB, s.projectId);
  const channels = await Promise.all(
    rows.map(async (r: ChannelRow) => ({ ...maskedChannel(r), version: await channelVersion(r) })),
  );
  const node = <ChannelsPage viewer={viewerOf(s)} channels={channels} {...extra} />;
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

/** Zod issues and field problems as one error per field (the first one each). */
function errorsOf(issues: readonly FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[i.path || "_"] ??= i.message;
  return out;
}

const zodProblems = (e: z.ZodError): FieldProblem[] =>
  e.issues.map((i) => ({ path: String(i.path[0] ?? ""), message: i.message }));

const actor = (c: Ctx, s: Session): ChannelActor => ({
  env: c.env,
  who: whoOf(c),
  projectId: s.projectId,
});

const NEEDS = "Changing channels";

export const channelRoutes = new Hono<AppEnv>()
  .get("/", (c) =>
    withSession(c, (s) => {
      const sent = c.req.query("sent");
      const done = c.req.query("done");
      const flash = sent
        ? { text: `Test notification queued (delivery ${sent}); it is sent like a real alert.` }
        : done
          ? { text: done === "deleted" ? "Channel deleted." : "Channel saved." }
          : undefined;
      return channelsPage(c, s, flash ? { flash } : {});
    }),
  )
  .post("/", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const parsed = CreateChannelSchema.safeParse({
      type: form.type,
      name: form.name ?? "",
      url: (form.url ?? "").trim(),
      ...(form.secret?.trim() ? { secret: form.secret.trim() } : {}),
    });
    const problems = parsed.success
      ? createProblems(c.env, parsed.data)
      : zodProblems(parsed.error);
    if (!parsed.success || problems.length > 0) {
      const state = { form: "new", errors: errorsOf(problems), values: form };
      return channelsPage(c, s, { state }, 400);
    }
    const row = await createChannel(actor(c, s), parsed.data);
    // Answered here, not redirected: the signing secret is shown once, on this page.
    return channelsPage(c, s, {
      flash: { text: `Channel '${row.name}' created.`, secret: row.secret },
    });
  })
  .post("/:id/:action{test|delete}", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { s } = admitted;
    const id = c.req.param("id");
    try {
      if (c.req.param("action") === "test") {
        const delivery = await testChannel(c.env, s.projectId, id, publicOrigin(c.env));
        return seeOther(`${HOME}?sent=${encodeURIComponent(delivery)}#channel-${id}`);
      }
      await deleteChannel(actor(c, s), id);
      return seeOther(`${HOME}?done=deleted`);
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      const state = { form: id, errors: { _: thrown.message }, values: {} };
      return channelsPage(c, s, { state }, 404);
    }
  })
  .post("/:id", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const id = c.req.param("id");
    const url = (form.url ?? "").trim();
    const parsed = UpdateChannelSchema.safeParse({
      name: form.name ?? "",
      ...(url ? { url } : {}),
      enabled: form.enabled === "on",
    });
    const problems = parsed.success
      ? [urlProblem(c.env, parsed.data.url)].filter((p): p is FieldProblem => p !== null)
      : zodProblems(parsed.error);
    if (!parsed.success || problems.length > 0) {
      const state = { form: id, errors: errorsOf(problems), values: form };
      return channelsPage(c, s, { state }, 400);
    }
    try {
      await updateChannel(actor(c, s), id, parsed.data, form.version ?? "");
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      const state = { form: id, errors: { _: thrown.message }, values: {} };
      return channelsPage(c, s, { state }, thrown.code === "conflict" ? 409 : 404);
    }
    return seeOther(`${HOME}?done=saved#channel-${id}`);
  });
