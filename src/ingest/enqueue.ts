// Packs normalised events into TELEMETRY queue messages within the platform limits.
// A message carries its events as one JSON text: the consumer parses it once and binds
// the same text to the D1 insert, so nothing is encoded twice (v3). Deflating (v2) made
// messages 5× smaller but cost a fifth of the Worker's time end to end.
import type { NormalizedEvent } from "./normalized";

// NOTE: Queues allow 128 KB per message and 100 messages / 256 KB per sendBatch;
// stay below both with headroom for the envelope.
export const MAX_MESSAGE_BYTES = 100_000;
const MAX_BATCH_BYTES = 240_000;
const MAX_BATCH_MESSAGES = 100;
const ENVELOPE_BYTES = 200;

/** v1: events as plain objects (still accepted by the consumer). */
export interface TelemetryMessageV1 {
  v: 1;
  projectId: string;
  receivedAt: number;
  events: NormalizedEvent[];
}

/** v2: the events array as raw-deflated JSON (still accepted by the consumer). */
export interface TelemetryMessageV2 {
  v: 2;
  projectId: string;
  receivedAt: number;
  count: number;
  deflated: Uint8Array;
}

/** v3: the events array as JSON text. */
export interface TelemetryMessageV3 {
  v: 3;
  projectId: string;
  receivedAt: number;
  count: number;
  events: string;
}

export type TelemetryMessageBody = TelemetryMessageV1 | TelemetryMessageV2 | TelemetryMessageV3;

/** A decoded message, as the consumer uses it. */
export interface TelemetryMessage {
  projectId: string;
  receivedAt: number;
  events: NormalizedEvent[];
  /** The events' JSON when the message carried it (v2, v3), reused for the D1 insert. */
  eventsJson?: string;
}

// Serialised (v8) strings take one byte per character when every character fits in
// Latin-1, two otherwise.
const WIDE = /[\u0100-\uffff]/;
const serialisedBytes = (json: string) => (WIDE.test(json) ? 2 : 1) * json.length;

interface SizedMessage {
  body: TelemetryMessageV3;
  /** Its serialised size, counted while packing. */
  bytes: number;
}

function packSized(
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
): SizedMessage[] {
  const messages: SizedMessage[] = [];
  let parts: string[] = [];
  let bytes = ENVELOPE_BYTES;
  const flush = () => {
    if (parts.length === 0) return;
    const body: TelemetryMessageV3 = {
      v: 3,
      projectId,
      receivedAt,
      count: parts.length,
      events: `[${parts}]`,
    };
    messages.push({ body, bytes });
    parts = [];
    bytes = ENVELOPE_BYTES;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const size = serialisedBytes(json) + 2;
    if (bytes + size > MAX_MESSAGE_BYTES) flush();
    // NOTE: one event alone is far below the limit: ingest caps each field's length.
    parts.push(json);
    bytes += size;
  }
  flush();
  return messages;
}

/** Splits events into v3 messages of at most MAX_MESSAGE_BYTES each, in order. */
export function packMessages(
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
): TelemetryMessageV3[] {
  return packSized(projectId, receivedAt, events).map((m) => m.body);
}

/** Sends all messages, grouping them into sendBatch calls within the batch limits. */
export async function enqueueEvents(
  queue: Queue<TelemetryMessageBody>,
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
): Promise<void> {
  const messages = packSized(projectId, receivedAt, events);
  if (messages.length === 1 && messages[0]) {
    await queue.send(messages[0].body, { contentType: "v8" });
    return;
  }
  const sends: Promise<unknown>[] = [];
  let group: MessageSendRequest<TelemetryMessageBody>[] = [];
  let groupBytes = 0;
  for (const { body, bytes } of messages) {
    if (
      group.length >= MAX_BATCH_MESSAGES ||
      (group.length > 0 && groupBytes + bytes > MAX_BATCH_BYTES)
    ) {
      sends.push(queue.sendBatch(group));
      group = [];
      groupBytes = 0;
    }
    group.push({ body, contentType: "v8" });
    groupBytes += bytes;
  }
  if (group.length > 0) sends.push(queue.sendBatch(group));
  await Promise.all(sends);
}
