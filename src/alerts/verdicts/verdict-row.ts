// A release_verdicts row as the verdict code passes it around.
import type { releaseVerdictsTable } from "../../db/schema";

export type VerdictRow = typeof releaseVerdictsTable.$inferSelect;
