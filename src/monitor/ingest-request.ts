// What the telemetry consumer sends a DeploymentMonitor (one call per monitor per queue
// batch) and what it answers: absolute totals, so that the consumer's D1 upserts are
// harmless when a redelivered batch writes them again.
import type { ArchivedEvent } from "../archive/layout";
import type { ReleaseCombo } from "../window/aggregate";
import type { ArchiveTarget } from "./archive-outbox";

export interface MonitorRef extends ArchiveTarget {
  /** The deployment's id (for the synthetic sibling too: the deployment it probes). */
  deploymentId: string;
}

export interface IngestRequest {
  monitor: MonitorRef;
  /** Normalised events with the time the Worker received them. */
  events: ArchivedEvent[];
  /**
   * The project keeps example events (its keep_examples setting): sampled into the
   * example store when true; when false, the store is emptied; absent (the legacy drain):
   * neither.
   */
  examples?: boolean;
}

/** A small request of the Worker's, sent straight to the object (src/queue/deliver.ts). */
export interface IntakeRequest extends IngestRequest {
  /**
   * Its client does not wait for the answer (navigator.sendBeacon, a Worker's waitUntil:
   * the route's `?beacon=1`): it may be held for others to share its commit (intake.ts).
   */
  beacon?: boolean;
}

/** Events of the legacy D1 events table, with the claim each was stored under. */
export interface LegacyDrainRequest extends IngestRequest {
  /** Per event: null when its claim was closed (already counted), else the claim token. */
  claims: (number | null)[];
}

/** A release combination with what the object has accepted of it in all (absolute). */
export type ReleaseTotal = ReleaseCombo;

export interface IngestResult {
  /** Events counted by this call. */
  accepted: number;
  /** Events already counted before (copies), or repeated within the call. */
  duplicates: number;
  /** Events received before the object was emptied by a deletion: dropped. */
  dropped: number;
  /** The deployment's earliest and latest accepted event ts; null before any (and for probes). */
  seen: { first: number; last: number } | null;
  /** Totals of the release combinations this call's events carry (none for probes). */
  releases: ReleaseTotal[];
}
