// /v1/budgets request and response schemas. Amounts are USD (the only currency), per day
// or calendar month in the project's time zone, over a project, environment, deployment or model.
import { BUDGET_PERIODS } from "../../db/schema";
import { IdSchema } from "../../http/shared-params";
import { MAX_LABEL_CHARS, SLUG_PATTERN } from "../../ingest/field-bounds";
import { z } from "../../zod";

/** Above this a budget is a typo, not a plan (USD per period). */
export const MAX_BUDGET_USD = 10_000_000;
/** Budgets per project: each is read on every GET and evaluated every minute. */
export const MAX_BUDGETS_PER_PROJECT = 100;

const Slug = z.string().regex(SLUG_PATTERN, "must be a slug (lowercase letters, digits, - _ .)");

export const BudgetScopeSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("project") }),
      z.strictObject({ type: z.literal("environment"), environment: Slug }),
      z.strictObject({ type: z.literal("deployment"), environment: Slug, slug: Slug }),
      z.strictObject({ type: z.literal("model"), model: z.string().min(1).max(MAX_LABEL_CHARS) }),
    ],
    { error: "must be one of project, environment, deployment, model" },
  )
  .meta({ id: "BudgetScope", description: "What the budget covers" });

const Amount = z
  .number()
  .positive("must be more than 0")
  .max(MAX_BUDGET_USD, `must be at most ${MAX_BUDGET_USD} USD per period`)
  .meta({ description: "USD per period" });

const Currency = z
  .string()
  .refine((currency) => currency === "USD", { message: "only USD is supported" })
  .meta({ description: "Only USD is supported" });

const Name = z.string().trim().min(1).max(128);

export const CreateBudgetSchema = z.strictObject({
  name: Name.optional().meta({ description: "Absent: named after its scope and period" }),
  amount_usd: Amount,
  currency: Currency.default("USD"),
  period: z.enum(BUDGET_PERIODS).meta({
    description: "day or calendar month, in the project's time zone (time_zone, default UTC)",
  }),
  scope: BudgetScopeSchema,
});

export const UpdateBudgetSchema = z
  .strictObject({
    name: Name.optional(),
    amount_usd: Amount.optional(),
    currency: Currency.optional(),
    period: z.enum(BUDGET_PERIODS).optional(),
    scope: BudgetScopeSchema.optional(),
  })
  .refine((body) => Object.keys(body).some((key) => key !== "currency"), {
    message: "nothing to change: give name, amount_usd, period or scope",
  });

const Usd = z.number().meta({ description: "USD" });
const Instant = z.number().int().meta({ description: "Epoch milliseconds" });

export const BudgetStatusSchema = z
  .object({
    period_start: Instant,
    period_end: Instant.meta({ description: "The next period's start (epoch ms)" }),
    time_zone: z.string(),
    spent_usd: Usd,
    forecast: z.object({
      expected_usd: Usd.meta({ description: "Expected spend at the period's end" }),
      low_usd: Usd,
      high_usd: Usd,
      interval: z.literal(0.8).meta({ description: "low–high is an 80 % interval" }),
      method: z.enum(["weekly", "daily", "flat"]).meta({
        description: "The rhythm used: hour of week (≥ 7 days of data), hour of day (≥ 1), flat",
      }),
    }),
    pace_usd_per_hour: Usd.meta({ description: "The forecast's spend for the coming hour" }),
    even_pace_usd_per_hour: Usd.meta({ description: "The pace that spends exactly the amount" }),
    runs_out_at: Instant.nullable().meta({
      description: "When spend reaches the amount (past if exceeded); null: not this period",
    }),
    state: z.enum(["ok", "at_risk", "exceeded"]),
  })
  .meta({ id: "BudgetStatus" });

export const BudgetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    amount_usd: z.number(),
    currency: z.literal("USD"),
    period: z.enum(BUDGET_PERIODS),
    scope: BudgetScopeSchema,
    created_at: Instant,
    updated_at: Instant,
    status: BudgetStatusSchema.meta({ description: "Where the budget stands now" }),
  })
  .meta({ id: "Budget" });

export const BudgetBody = z.object({ budget: BudgetSchema });

export const BudgetParams = z.object({ id: IdSchema.meta({ description: "Budget id" }) });
