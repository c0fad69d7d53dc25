// The verdict as the API answers it: candidate, incumbent, state, times and each signal's
// comparison (src/verdicts/analysis.ts SignalResult).
import type { releaseVerdictsTable } from "../../db/schema";
import { VERDICT_STATES } from "../../db/schema";
import { z } from "../../zod";

const ComboSchema = z
  .object({
    model: z.string(),
    provider: z.string(),
    prompt_version: z.string(),
    release: z.string(),
  })
  .meta({ id: "ReleaseCombination", description: 'Labels an event did not set read ""' });

const SignalSchema = z
  .object({
    metric: z.string().meta({ description: "A signal of docs/verdicts.md, e.g. error_rate" }),
    incumbent: z.number().nullable().meta({ description: "The incumbent's rate" }),
    candidate: z.number().nullable().meta({ description: "The candidate's rate" }),
    difference: z
      .number()
      .nullable()
      .meta({ description: "Candidate minus incumbent, minute-stratified" }),
    ci: z.array(z.number()).length(2).nullable().meta({
      description: "Always-valid confidence sequence of the difference at the fail error",
    }),
    margin: z.number().meta({ description: "The minimum effect of interest" }),
    decision: z.enum(["worse", "no_worse", "pending", "not_observed"]),
    n_incumbent: z.number().int(),
    n_candidate: z.number().int(),
  })
  .meta({ id: "VerdictSignal" });

export const VerdictSchema = z
  .object({
    id: z.string(),
    candidate: ComboSchema,
    incumbent: ComboSchema.nullable().meta({ description: "null until the analysis starts" }),
    state: z.enum(VERDICT_STATES),
    reason: z.string().nullable(),
    started_at: z.number().int(),
    decided_at: z.number().int().nullable(),
    share: z.number().nullable().meta({ description: "The candidate's share of compared traffic" }),
    git_sha: z.string().nullable(),
    planned_share: z.number().nullable(),
    signals: z.array(SignalSchema),
  })
  .meta({ id: "Verdict" });

export type Verdict = z.output<typeof VerdictSchema>;
type VerdictRow = typeof releaseVerdictsTable.$inferSelect;

interface StoredSignal {
  metric: string;
  incumbent: number | null;
  candidate: number | null;
  difference: number | null;
  ci: [number, number] | null;
  margin: number;
  decision: "worse" | "no_worse" | "pending" | "not_observed";
  nIncumbent: number;
  nCandidate: number;
}

export function toVerdict(row: VerdictRow): Verdict {
  return VerdictSchema.parse({
    id: row.id,
    candidate: row.candidate,
    incumbent: row.incumbent,
    state: row.state,
    reason: row.reason,
    started_at: row.startedAt,
    decided_at: row.decidedAt,
    share: row.share,
    git_sha: row.gitSha,
    planned_share: row.plannedShare,
    signals: (row.signals as StoredSignal[]).map((s) => ({
      metric: s.metric,
      incumbent: s.incumbent,
      candidate: s.candidate,
      difference: s.difference,
      ci: s.ci,
      margin: s.margin,
      decision: s.decision,
      n_incumbent: s.nIncumbent,
      n_candidate: s.nCandidate,
    })),
  });
}
