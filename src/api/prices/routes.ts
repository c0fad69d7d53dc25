// GET /v1/prices: the built-in model price table (with its as-of date) and the project's
// overrides, in USD per million tokens: what ingest prices an event's tokens with when the
// event reports no cost_usd. A model in neither is counted with its cost unknown, never 0.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { projectsTable } from "../../db/schema";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { PRICE_TABLE, PriceOverridesSchema, priceTableAgeDays } from "../../ingest/prices";
import { z } from "../../zod";

const PriceSchema = z
  .object({
    input: z.number(),
    output: z.number(),
    cached_input: z.number().optional().meta({ description: "Absent: priced as input" }),
    cache_write: z.number().optional().meta({ description: "Absent: priced as input" }),
  })
  .meta({ id: "ModelPrice", description: "USD per million tokens" });

const PricesSchema = z.object({
  as_of: z.string().meta({ description: "The date of the built-in list prices (YYYY-MM-DD)" }),
  age_days: z.number().int().meta({
    description:
      "Whole days since as_of: how stale the built-in prices may be (overrides fix a price without a deploy)",
  }),
  models: z.record(z.string(), PriceSchema).meta({
    description: "Built-in prices by model name (matched by longest prefix)",
  }),
  overrides: PriceOverridesSchema.meta({
    description: "The project's overrides (PATCH /v1/projects/{id} price_overrides); they win",
  }),
});

const listPrices = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags: ["Spend"],
  summary: "The model price table and the project's price overrides",
  request: { query: ProjectQuery },
  responses: { 200: { description: "The prices", content: json(PricesSchema) } },
});

export const prices = projectRouter().openapi(listPrices, async (c) => {
  const [row] = await drizzle(c.env.DB)
    .select({ overrides: projectsTable.priceOverrides })
    .from(projectsTable)
    .where(eq(projectsTable.id, c.var.projectId));
  return c.json(
    {
      as_of: PRICE_TABLE.asOf,
      age_days: priceTableAgeDays(Date.now()),
      models: { ...PRICE_TABLE.models },
      overrides: row?.overrides ?? {},
    },
    200,
  );
});
