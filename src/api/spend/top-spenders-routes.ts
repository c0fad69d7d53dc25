// GET /v1/deployments/{environment}/{slug}/top-spenders: who and what drives a deployment's
// spend, from the Durable Object's hourly top-k sketches (src/monitor/spend-store.ts).
import { apiRoute, json } from "../../http/openapi/route";
import { deploymentRouter } from "../../http/openapi/router";
import { DeploymentParams, ProjectQuery } from "../../http/shared-params";
import { MAX_KEY_CHARS } from "../../ingest/field-bounds";
import { TOP_K } from "../../monitor/spend-store";
import { DAY_MS, HOUR_MS } from "../../shared/time";
import { z } from "../../zod";

const RANGES = { "1h": HOUR_MS, "24h": DAY_MS, "7d": 7 * DAY_MS } as const;

const TopSpendersQuery = ProjectQuery.extend({
  by: z
    .string()
    .regex(
      new RegExp(`^(user|session|tag:[^\\s]{1,${MAX_KEY_CHARS}})$`),
      "must be user, session or tag:<key>",
    )
    .default("user")
    .meta({ description: "user (hashed), session (hashed) or tag:<key> (that tag's values)" }),
  range: z.enum(["1h", "24h", "7d"]).default("24h").meta({
    description: "The last hour (from the start of the previous UTC hour), 24 hours or 7 days",
  }),
  limit: z.coerce.number().int().min(1).max(TOP_K).default(10),
});

const SpenderSchema = z.object({
  key: z.string().meta({ description: "The hashed user or session, or the tag value" }),
  cost_usd: z.number().meta({ description: "At least this much (the sketch never overcounts)" }),
  cost_usd_max: z.number().meta({ description: "At most this much: cost_usd + error_bound_usd" }),
  requests: z.number().int().meta({ description: "Requests counted while the key was tracked" }),
  share: z.number().meta({ description: "cost_usd / total_usd" }),
});

const TopSpendersSchema = z
  .object({
    by: z.string(),
    range: z.enum(["1h", "24h", "7d"]),
    from: z.number().int().meta({ description: "Epoch ms: the first hour counted" }),
    total_usd: z.number().meta({ description: "Exact spend of requests carrying the dimension" }),
    requests: z.number().int(),
    error_bound_usd: z.number().meta({
      description:
        "Each cost_usd is at most this much below the truth; never above total_usd / 33. A " +
        "spender above that bound is always listed",
    }),
    spenders: z.array(SpenderSchema),
  })
  .meta({ id: "TopSpenders" });

const getTopSpenders = apiRoute({
  method: "get",
  path: "/top-spenders",
  access: "read",
  errors: [404],
  tags: ["Spend"],
  summary: "A deployment's heaviest spenders by user, session or tag value",
  request: { params: DeploymentParams, query: TopSpendersQuery },
  responses: { 200: { description: "The top spenders", content: json(TopSpendersSchema) } },
});

export const topSpenders = deploymentRouter().openapi(getTopSpenders, async (c) => {
  const { by, range, limit } = c.req.valid("query");
  const now = Date.now();
  // Whole hours: the sketches are hourly, so "1h" is the previous hour and this one so far.
  const from = Math.floor((now - RANGES[range]) / HOUR_MS) * HOUR_MS;
  const sketch = await c.env.DEPLOYMENT_MONITOR.getByName(c.var.deployment.id).topSpenders(
    by,
    from,
    now + 1,
  );
  const total = sketch?.total ?? 0;
  const bound = sketch?.decrement ?? 0;
  const spenders = (sketch?.entries ?? []).slice(0, limit).map((e) => ({
    key: e.key,
    cost_usd: e.weight,
    cost_usd_max: e.weight + bound,
    requests: e.requests,
    share: total > 0 ? e.weight / total : 0,
  }));
  return c.json(
    {
      by,
      range,
      from,
      total_usd: total,
      requests: sketch?.requests ?? 0,
      error_bound_usd: bound,
      spenders,
    },
    200,
  );
});
