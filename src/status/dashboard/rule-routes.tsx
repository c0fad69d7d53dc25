// /dashboard/settings/rules: the rules page and its admin forms. Each form becomes the body
// the API takes (rule-form.ts), is checked by the same schemas and calls the same operation
// as /v1/rules (src/alerts/rules/rule-actions.ts). A refusal re-renders the page with the
// error beside its field and nothing saved; an edit of a rule changed since the form was
// shown is refused (409). "Preview" re-runs the typed rule over past hours, saving nothing.
import { Hono } from "hono";
import { listChannels } from "../../alerts/delivery/channel-actions";
import { type EffectiveRule, effectiveRules } from "../../alerts/rules/effective-rules";
import {
  channelProblems,
  createRule,
  deleteRule,
  findRule,
  type RuleActor,
  type RuleProblem,
  replaceRule,
  ruleVersion,
} from "../../alerts/rules/rule-actions";
import {
  CreateRuleSchema,
  mergeRuleUpdate,
  type Rule,
  UpdateRuleSchema,
} from "../../alerts/rules/rule-schema";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { OperationError } from "../../shared/operation-error";
import type { z } from "../../zod";
import {
  adminForm,
  type Ctx,
  page,
  pageWithStatus,
  seeOther,
  viewerOf,
  withSession,
} from "./route-kit";
import { createRuleBody, fieldOfPath, ruleUpdateBody } from "./rule-form";
import { type PreviewView, RulesPage } from "./rule-page";
import { PREVIEW_RANGES, type PreviewRange, rulePreviews } from "./rule-preview-data";
import type { Session } from "./session";
import type { FormState } from "./settings-fields";

const HOME = "/dashboard/settings/rules";
const NEEDS = "Changing rules";

async function rulesPage(
  c: Ctx,
  s: Session,
  extra: { state?: FormState; flash?: string; preview?: PreviewView } = {},
  status = 200,
) {
  const [rules, channels] = await Promise.all([
    effectiveRules(c.env.DB, s.projectId),
    listChannels(c.env.DB, s.projectId),
  ]);
  const views = await Promise.all(
    rules.map(async (e) => ({ rule: e.rule, source: e.source, version: await ruleVersion(e) })),
  );
  const node = (
    <RulesPage
      viewer={viewerOf(s)}
      rules={views}
      channels={channels.map((ch) => ({ id: ch.id, name: ch.name }))}
      {...extra}
    />
  );
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

const channelIdsOf = async (c: Ctx, s: Session) =>
  (await listChannels(c.env.DB, s.projectId)).map((ch) => ch.id);

function errorsOf(problems: readonly RuleProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) out[fieldOfPath(p.path.split("."))] ??= p.message;
  return out;
}

const zodProblems = (e: z.ZodError): RuleProblem[] =>
  e.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));

const actor = (c: Ctx, s: Session): RuleActor => ({
  db: c.env.DB,
  who: whoOf(c),
  projectId: s.projectId,
});

async function preview(
  c: Ctx,
  s: Session,
  rule: Rule,
  title: string,
  ruleId: string | null,
  range: PreviewRange,
): Promise<PreviewView> {
  const { previews, covered } = await rulePreviews(c.env, s.projectId, rule, range, Date.now());
  return { title, ruleId, range, previews, covered };
}

const rangeOf = (value: string | undefined): PreviewRange =>
  PREVIEW_RANGES.find((r) => r === value) ?? "24h";

export const ruleRoutes = new Hono<AppEnv>()
  .get("/", (c) =>
    withSession(c, async (s) => {
      const done = c.req.query("done");
      const flash = done ? `Rule ${done}.` : undefined;
      const id = c.req.query("preview");
      let found: EffectiveRule | undefined;
      if (id) found = (await effectiveRules(c.env.DB, s.projectId)).find((e) => e.rule.id === id);
      const shown = found
        ? await preview(
            c,
            s,
            found.rule,
            found.rule.name,
            found.rule.id,
            rangeOf(c.req.query("range")),
          )
        : undefined;
      return rulesPage(c, s, {
        ...(flash ? { flash } : {}),
        ...(shown ? { preview: shown } : {}),
      });
    }),
  )
  .post("/", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const parsed = CreateRuleSchema.safeParse(createRuleBody(form, await channelIdsOf(c, s)));
    const problems = parsed.success
      ? await channelProblems(c.env.DB, s.projectId, parsed.data.channels)
      : zodProblems(parsed.error);
    if (!parsed.success || problems.length > 0) {
      return rulesPage(
        c,
        s,
        { state: { form: "new", errors: errorsOf(problems), values: form } },
        400,
      );
    }
    if (form.intent === "preview") {
      const shown = await preview(
        c,
        s,
        { id: "preview", ...parsed.data },
        "the new rule as typed",
        null,
        rangeOf(form.range),
      );
      return rulesPage(c, s, { state: { form: "new", errors: {}, values: form }, preview: shown });
    }
    const created = await createRule(actor(c, s), parsed.data);
    return seeOther(`${HOME}?done=created#rule-${created.rule.id}`);
  })
  .post("/:id/delete", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { s } = admitted;
    try {
      const { restored } = await deleteRule(actor(c, s), c.req.param("id"));
      return seeOther(`${HOME}?done=${restored ? "restored to its default" : "deleted"}`);
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      const state = { form: c.req.param("id"), errors: { _: thrown.message }, values: {} };
      return rulesPage(c, s, { state }, thrown.code === "conflict" ? 409 : 404);
    }
  })
  .post("/:id", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const id = c.req.param("id");
    try {
      const before = await findRule(c.env.DB, s.projectId, id);
      const patch = UpdateRuleSchema.safeParse(ruleUpdateBody(form, await channelIdsOf(c, s)));
      const merged = patch.success ? mergeRuleUpdate(before.rule, patch.data) : null;
      const problems = !patch.success
        ? zodProblems(patch.error)
        : merged && !merged.success
          ? zodProblems(merged.error)
          : await channelProblems(c.env.DB, s.projectId, patch.data.channels ?? []);
      if (!merged?.success || problems.length > 0) {
        return rulesPage(
          c,
          s,
          { state: { form: id, errors: errorsOf(problems), values: form } },
          400,
        );
      }
      if (form.intent === "preview") {
        const title = `'${before.rule.name}' as edited`;
        const shown = await preview(c, s, merged.data, title, null, rangeOf(form.range));
        return rulesPage(c, s, { state: { form: id, errors: {}, values: form }, preview: shown });
      }
      await replaceRule(actor(c, s), before, merged.data, form.version ?? "");
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      const state = { form: id, errors: { _: thrown.message }, values: {} };
      return rulesPage(c, s, { state }, thrown.code === "conflict" ? 409 : 404);
    }
    return seeOther(`${HOME}?done=saved#rule-${encodeURIComponent(id)}`);
  });
