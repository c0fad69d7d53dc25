// The one ingest sequence every ingest route runs (/v1/events, /v1/traces, /v1/logs): admit
// (schema, key limits, deployment budget), the project's privacy rules (PII scrubber),
// normalise (defaults, cost, hashed identifiers), deliver (small requests straight to the
// deployments' Durable Objects, the rest to the queue: src/queue/deliver.ts). Routes differ only in how they
// read their body and word their answers.
import type { Context } from "hono";
import type { ProjectEnv } from "../../http/app-types";
import { normalizeEvents } from "../../ingest/normalize";
import type { NormalizedEvent } from "../../ingest/normalized";
import type { Rejection, ValidEvent } from "../../ingest/parse-batch";
import { type IdMaker, randomIds } from "../../ingest/request-ids";
import { scrubPii } from "../../ingest/scrub-batch";
import { projectPrivacy } from "../../privacy/project-privacy";
import { deliverEvents } from "../../queue/deliver";
import { admitEvents } from "./admit-events";

export interface IngestedBatch {
  /** Events that passed admission, in request order (their `index` is the item's). */
  valid: ValidEvent[];
  rejected: Rejection[];
  /** What was delivered (or tried): one per valid event, same order. */
  normalized: NormalizedEvent[];
  /** Indexes into `normalized` of the events neither stored nor queued. */
  failed: number[];
  /** The scrubber's counts, spread into the answer (empty when the switch is off). */
  piiAnswer: { pii_tags_dropped?: number; pii_fields_redacted?: number };
}

export async function ingestItems(
  c: Context<ProjectEnv>,
  items: unknown[],
  receivedAt: number,
  newId: IdMaker = randomIds,
  beacon = false,
): Promise<IngestedBatch> {
  const projectId = c.var.projectId;
  const { valid, rejected } = await admitEvents(c, projectId, items, receivedAt);
  if (valid.length === 0) return { valid, rejected, normalized: [], failed: [], piiAnswer: {} };
  const overrides = c.get("auth").priceOverrides;
  const privacy = await projectPrivacy(c.env.DB, projectId);
  const scrubbed = await scrubPii(valid, privacy);
  const normalized = await normalizeEvents(privacy.hashKey, scrubbed.valid, overrides, newId);
  const failed = await deliverEvents(c.env, projectId, receivedAt, normalized, {
    examples: privacy.keepExamples,
    beacon,
  });
  return { valid, rejected, normalized, failed, piiAnswer: scrubbed.answer };
}
