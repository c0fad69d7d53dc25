// /v1/channels: Slack incoming webhooks and Standard-Webhooks-signed generic webhooks. Each
// change and its audit entry are one D1 batch; secrets are never returned in full after creation.
// The operations are alerts/delivery/channel-actions.ts, which the dashboard's forms call too.
import type { Context } from "hono";
import {
  type ChannelActor,
  type ChannelRow,
  createChannel,
  createProblems,
  deleteChannel,
  type FieldProblem,
  findChannel,
  listChannels,
  testChannel,
  updateChannel,
  urlProblem,
} from "../../alerts/delivery/channel-actions";
import { maskSecret } from "../../alerts/delivery/delivery-policy";
import type { ProjectEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { fieldIssuesError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { publicOrigin } from "../../net/public-origin";
import { z } from "../../zod";
import {
  ChannelBody,
  ChannelParams,
  ChannelSchema,
  CreateChannelSchema,
  UpdateChannelSchema,
} from "./schema";

/** The channel as every response shows it: URL and signing secret masked. */
const toChannel = (row: ChannelRow) =>
  fromRow(ChannelSchema, {
    ...row,
    url: maskSecret(row.url),
    secret: row.secret ? maskSecret(row.secret) : null,
  });

const tags = ["Channels"];

const listRoute = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's notification channels (secrets masked)",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The channels",
      content: json(z.object({ channels: z.array(ChannelSchema) })),
    },
  },
});

const createRoute = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  tags,
  summary: "Create a Slack or generic webhook channel",
  description:
    "Outside local development the URL must be https on a public host. A webhook's signing " +
    "secret is in this response only, so the receiver can verify signatures.",
  request: { query: ProjectQuery, body: { content: json(CreateChannelSchema) } },
  responses: { 201: { description: "The channel", content: json(ChannelBody) } },
});

const getRoute = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get a channel (secrets masked)",
  request: { params: ChannelParams, query: ProjectQuery },
  responses: { 200: { description: "The channel", content: json(ChannelBody) } },
});

const updateRoute = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Rename, re-point, enable or disable a channel",
  request: {
    params: ChannelParams,
    query: ProjectQuery,
    body: { content: json(UpdateChannelSchema) },
  },
  responses: { 200: { description: "The channel as it now is", content: json(ChannelBody) } },
});

const deleteRoute = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Delete a channel",
  request: { params: ChannelParams, query: ProjectQuery },
  responses: {
    200: {
      description: "The deleted channel's id",
      content: json(z.object({ deleted: z.string() })),
    },
  },
});

const testRoute = apiRoute({
  method: "post",
  path: "/{id}/test",
  access: "admin",
  errors: [404],
  tags,
  summary: "Send a test notification through the channel",
  description: "Queued like a real alert (retries, backoff, dead-letter): follow it by its id.",
  request: { params: ChannelParams, query: ProjectQuery },
  responses: {
    202: {
      description: "The delivery, queued",
      content: json(z.object({ delivery_id: z.string(), status: z.literal("queued") })),
    },
  },
});

const by = (c: Context<ProjectEnv>): ChannelActor => ({
  env: c.env,
  who: whoOf(c),
  projectId: c.var.projectId,
});

/** The same field checks as the dashboard's form, answered as a 400 naming each path. */
function refuse(problems: FieldProblem[]): void {
  if (problems.length > 0) throw fieldIssuesError(problems);
}

export const channels = projectRouter()
  .openapi(listRoute, async (c) => {
    const rows = await listChannels(c.env.DB, c.var.projectId);
    return c.json({ channels: rows.map(toChannel) }, 200);
  })
  .openapi(createRoute, async (c) => {
    const body = c.req.valid("json");
    refuse(createProblems(c.env, body));
    const row = await createChannel(by(c), body);
    // The signing secret is shown once, so the receiver can verify signatures.
    return c.json({ channel: { ...toChannel(row), secret: row.secret } }, 201);
  })
  .openapi(getRoute, async (c) => {
    const row = await findChannel(c.env.DB, c.var.projectId, c.req.valid("param").id);
    return c.json({ channel: toChannel(row) }, 200);
  })
  .openapi(updateRoute, async (c) => {
    const body = c.req.valid("json");
    const problem = urlProblem(c.env, body.url);
    refuse(problem ? [problem] : []);
    const row = await updateChannel(by(c), c.req.valid("param").id, body);
    return c.json({ channel: toChannel(row) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const before = await deleteChannel(by(c), c.req.valid("param").id);
    return c.json({ deleted: before.id }, 200);
  })
  .openapi(testRoute, async (c) => {
    const id = c.req.valid("param").id;
    const deliveryId = await testChannel(c.env, c.var.projectId, id, publicOrigin(c.env));
    return c.json({ delivery_id: deliveryId, status: "queued" as const }, 202);
  });
