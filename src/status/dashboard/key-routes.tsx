// /dashboard/settings/keys: the keys page and its admin forms (create, rotate, revoke).
// Each form is checked by the API's key schemas and calls the same operation as
// /v1/projects/:id/keys (src/http/key-actions.ts); a refusal re-renders the page with the
// error beside its field and nothing saved. A new secret is answered on the page, once.
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { createKey, type KeyActor, listKeys, revokeKey, rotateKey } from "../../http/key-actions";
import { CreateKeySchema, RotateKeySchema } from "../../http/key-schema";
import { OperationError } from "../../shared/operation-error";
import type { z } from "../../zod";
import { createKeyBody, rotateKeyBody } from "./key-form";
import { type KeyFlash, KeysPage } from "./key-page";
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

const HOME = "/dashboard/settings/keys";
const NEEDS = "Changing keys";

async function keysPage(
  c: Ctx,
  s: Session,
  extra: { state?: FormState; flash?: KeyFlash } = {},
  status = 200,
) {
  const keys = await listKeys(c.env.DB, s.projectId);
  const node = <KeysPage viewer={viewerOf(s)} keys={keys} {...extra} />;
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

/** One error per field (the first), keyed by the body's top-level field. */
function errorsOf(e: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of e.issues) out[String(i.path[0] ?? "_")] ??= i.message;
  return out;
}

const actor = (c: Ctx, s: Session): KeyActor => ({
  db: c.env.DB,
  who: whoOf(c),
  projectId: s.projectId,
});

export const keyRoutes = new Hono<AppEnv>()
  .get("/", (c) =>
    withSession(c, (s) => {
      const done = c.req.query("done");
      return keysPage(c, s, done === "revoked" ? { flash: { text: "Key revoked." } } : {});
    }),
  )
  .post("/", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const parsed = CreateKeySchema.safeParse(createKeyBody(form));
    if (!parsed.success) {
      return keysPage(
        c,
        s,
        { state: { form: "new", errors: errorsOf(parsed.error), values: form } },
        400,
      );
    }
    const key = await createKey(actor(c, s), parsed.data);
    // Answered here, not redirected: the secret is shown once, on this page.
    return keysPage(c, s, { flash: { text: `Key '${key.name}' created.`, secret: key.secret } });
  })
  .post("/:id/:action{rotate|revoke}", async (c) => {
    const admitted = await adminForm(c, NEEDS);
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const id = c.req.param("id");
    try {
      if (c.req.param("action") === "revoke") {
        await revokeKey(actor(c, s), id);
        return seeOther(`${HOME}?done=revoked#key-${id}`);
      }
      const parsed = RotateKeySchema.safeParse(rotateKeyBody(form));
      if (!parsed.success) {
        return keysPage(
          c,
          s,
          { state: { form: id, errors: errorsOf(parsed.error), values: form } },
          400,
        );
      }
      const { key } = await rotateKey(actor(c, s), id, parsed.data);
      return keysPage(c, s, {
        flash: { text: `Key '${key.name}' rotated; the new key is below.`, secret: key.secret },
      });
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      const state = { form: id, errors: { _: thrown.message }, values: {} };
      return keysPage(c, s, { state }, thrown.code === "conflict" ? 409 : 404);
    }
  });
