// Applies a project's `drop_pii_tags` switch to a validated batch, before anything is
// queued: personal data in tags, ids, labels and eval names never reaches storage, rollups
// or the archive (what goes: scrub-event.ts).

import { hashIdentifier } from "../privacy/identifier-hash";
import type { ValidEvent } from "./parse-batch";
import { scrubEvent, valuesToReplace } from "./scrub-event";

export interface ScrubbedBatch {
  valid: ValidEvent[];
  /** Spread into the ingest answer: the counts when the switch is on, nothing otherwise. */
  answer: { pii_tags_dropped?: number; pii_fields_redacted?: number };
}

/** The stand-in for a personal value: `pii-` and 128 bits of its keyed hash (fits an id). */
async function standIn(hashKey: CryptoKey, value: string): Promise<string> {
  return `pii-${await hashIdentifier(hashKey, `pii:${value}`)}`;
}

export async function scrubPii(
  valid: ValidEvent[],
  privacy: { dropPiiTags: boolean; hashKey: CryptoKey },
): Promise<ScrubbedBatch> {
  if (!privacy.dropPiiTags) return { valid, answer: {} };
  const personal = new Set(valid.flatMap((v) => valuesToReplace(v.event)));
  const replacement = new Map(
    await Promise.all(
      [...personal].map(async (value) => [value, await standIn(privacy.hashKey, value)] as const),
    ),
  );
  let tags = 0;
  let fields = 0;
  const out = valid.map((v) => {
    const scrubbed = scrubEvent(v.event, replacement);
    tags += scrubbed.tagsDropped;
    fields += scrubbed.fieldsRedacted;
    return scrubbed.event === v.event ? v : { ...v, event: scrubbed.event };
  });
  return { valid: out, answer: { pii_tags_dropped: tags, pii_fields_redacted: fields } };
}
