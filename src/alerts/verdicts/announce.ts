// Announcing a release before its traffic (POST /v1/releases): a pending verdict whose
// analysis starts when the combination serves beside the incumbent (run-verdicts.ts). A
// newer announcement replaces what is still pending for the deployment: those analyses end
// superseded. The same combination announced again while pending is a conflict.
import { and, eq, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type ComboJson, releaseVerdictsTable } from "../../db/schema";
import { newRecordId } from "../../shared/ids";
import { keyOfJson } from "./run-verdicts";
import { comboLabel } from "./verdict-messages";
import type { VerdictRow } from "./verdict-row";

export interface Announcement {
  candidate: ComboJson;
  gitSha: string | null;
  plannedShare: number | null;
  margins: Record<string, number> | null;
}

export type AnnounceResult =
  | { ok: true; verdict: VerdictRow; superseded: string[] }
  | { ok: false; existing: VerdictRow };

export async function announceRelease(
  d1: D1Database,
  deploymentId: string,
  a: Announcement,
  now: number,
): Promise<AnnounceResult> {
  const db = drizzle(d1);
  const key = keyOfJson(a.candidate);
  const t = releaseVerdictsTable;
  const pending = await db
    .select()
    .from(t)
    .where(and(eq(t.deploymentId, deploymentId), eq(t.state, "pending")));
  const same = pending.find((r) => r.candidateKey === key);
  if (same) return { ok: false, existing: same };
  const verdict: VerdictRow = {
    id: newRecordId("ver"),
    deploymentId,
    candidateKey: key,
    candidate: a.candidate,
    incumbent: null,
    state: "pending",
    reason: null,
    startedAt: now,
    decidedAt: null,
    updatedAt: now,
    analysis: null,
    signals: [],
    share: null,
    gitSha: a.gitSha,
    plannedShare: a.plannedShare,
    margins: a.margins,
    announcedAt: now,
  };
  const reason = `replaced by ${comboLabel(a.candidate)}`;
  await db.batch([
    db.insert(t).values(verdict),
    db
      .update(t)
      .set({ state: "superseded", reason, decidedAt: now, updatedAt: now })
      .where(and(eq(t.deploymentId, deploymentId), eq(t.state, "pending"), ne(t.id, verdict.id))),
  ]);
  return { ok: true, verdict, superseded: pending.map((r) => r.id) };
}
