// /v1/projects/:id/keys: create, list, revoke and rotate a project's API keys, each by the
// one operation in http/key-actions.ts that the dashboard's key settings also call.
import type { Context } from "hono";
import type { ProjectEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import {
  createKey as createKeyAction,
  type KeyActor,
  listKeys as listKeysAction,
  revokeKey as revokeKeyAction,
  rotateKey as rotateKeyAction,
} from "../../http/key-actions";
import { apiRoute, json } from "../../http/openapi/route";
import { projectPathRouter } from "../../http/openapi/router";
import { ProjectIdParams } from "../../http/shared-params";
import { z } from "../../zod";
import { CreateKeySchema, KeyParams, KeySchema, NewKeySchema, RotateKeySchema } from "./schema";

const actor = (c: Context<ProjectEnv>): KeyActor => ({
  db: c.env.DB,
  who: whoOf(c),
  projectId: c.var.projectId,
});

const tags = ["API keys"];
const KeyBody = z.object({ key: KeySchema });

const createKey = apiRoute({
  method: "post",
  path: "/keys",
  access: "admin",
  errors: [404],
  tags,
  summary: "Create an API key",
  request: { params: ProjectIdParams, body: { content: json(CreateKeySchema) } },
  responses: {
    201: {
      description: "The key, with its secret (shown this once)",
      content: json(z.object({ key: NewKeySchema })),
    },
  },
});

const listKeys = apiRoute({
  method: "get",
  path: "/keys",
  access: "admin",
  tags,
  summary: "List the project's API keys (revoked ones included, secrets never)",
  request: { params: ProjectIdParams },
  responses: {
    200: { description: "The keys", content: json(z.object({ keys: z.array(KeySchema) })) },
  },
});

const revokeKey = apiRoute({
  method: "delete",
  path: "/keys/{keyId}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Revoke an API key",
  description: "Other isolates honour the revocation within 30 seconds. Revoking twice is a no-op.",
  request: { params: KeyParams },
  responses: { 200: { description: "The revoked key", content: json(KeyBody) } },
});

const rotateKey = apiRoute({
  method: "post",
  path: "/keys/{keyId}/rotate",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Rotate an API key",
  description:
    "Creates a key with the old one's name, scopes and limits. The old key keeps working " +
    "until it is revoked or reaches `old_key_expires_at`, so clients move over without an outage.",
  request: { params: KeyParams, body: { content: json(RotateKeySchema) } },
  responses: {
    201: {
      description: "The new key (with its secret) and the old one as it now is",
      content: json(z.object({ key: NewKeySchema, previous: KeySchema })),
    },
  },
});

export const keys = projectPathRouter()
  .openapi(createKey, async (c) => {
    // The secret is in this response and nowhere else: only its hash is stored.
    return c.json({ key: await createKeyAction(actor(c), c.req.valid("json")) }, 201);
  })
  .openapi(listKeys, async (c) =>
    c.json({ keys: await listKeysAction(c.env.DB, c.var.projectId) }, 200),
  )
  .openapi(revokeKey, async (c) =>
    c.json({ key: await revokeKeyAction(actor(c), c.req.valid("param").keyId) }, 200),
  )
  .openapi(rotateKey, async (c) =>
    c.json(await rotateKeyAction(actor(c), c.req.valid("param").keyId, c.req.valid("json")), 201),
  );
