// Per-signal margins (minimum effects of interest) as a release announcement or a project
// setting gives them: every key a signal of docs/verdicts.md, every value in (0, 1].
import { signalSpec } from "../../verdicts";
import { z } from "../../zod";

export const VerdictMarginsSchema = z
  .record(z.string().max(80), z.number().gt(0).max(1))
  .refine((m) => Object.keys(m).length <= 32, "at most 32 margins")
  .refine(
    (m) => Object.keys(m).every((k) => signalSpec(k) !== null),
    "margins: every key must be a signal of docs/verdicts.md (e.g. error_rate, eval:helpful)",
  );
