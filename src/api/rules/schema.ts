// /v1/rules response schemas and path parameter. Request bodies are the alert rules' own
// schemas (src/alerts/rules/rule-schema.ts): one definition validates both the API and storage.
import { RuleIdSchema, ruleFields } from "../../alerts/rules/rule-schema";
import { z } from "../../zod";

export const RULE_SOURCES = ["default", "override", "custom"] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];

/** A rule in force for the project, as every response shows it. */
export const EffectiveRuleSchema = z
  .object({
    id: z.string(),
    ...ruleFields,
    source: z.enum(RULE_SOURCES).meta({
      description:
        "`default`: built in; `override`: a default changed for this project (DELETE restores " +
        "the default); `custom`: created with POST",
    }),
    created_at: z.number().int().nullable().meta({ description: "Epoch ms; null for a default" }),
    updated_at: z.number().int().nullable().meta({ description: "Epoch ms; null for a default" }),
  })
  .meta({ id: "Rule" });

export const RuleBody = z.object({ rule: EffectiveRuleSchema });

export const RuleParams = z.object({
  id: RuleIdSchema.meta({ description: "Rule id, e.g. `rule_…` or `default:error_rate`" }),
});
