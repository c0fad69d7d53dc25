// Packs normalised events into TELEMETRY queue messages within the platform limits
// (the message type: src/queue/message-schema.ts). A message carries its events as one
// JSON text, which the consumer parses once. Deflating them made messages 5× smaller
// but cost a fifth of the Worker's time end to end.

import type { NormalizedEvent } from "../ingest/normalized";
import type { TelemetryMessageBody } from "./message-schema";

// NOTE: Queues allow 128 KB per message and 100 messages / 256 KB per sendBatch;
// stay below both with headroom for the envelope.
export const MAX_MESSAGE_BYTES = 100_000;
const MAX_BATCH_BYTES = 240_000;
const MAX_BATCH_MESSAGES = 100;
const ENVELOPE_BYTES = 200;

// NOTE: the v8 serialiser stores a string at one byte per character when every
// character fits in Latin-1 and at two (UTF-16) otherwise, for the WHOLE string: one
// Japanese tag value doubles the size of every other event in its message. So a
// message's size is its events text's length times the width of its widest part.
const WIDE = /[\u0100-\uffff]/;

/** A message and the events it carries: events[first, first + body.count). */
interface SizedMessage {
  body: TelemetryMessageBody;
  /** Its serialised size: the events text at its real width, plus the envelope. */
  bytes: number;
  first: number;
}

/** What the v8 serialiser stores for `chars` characters, one or two bytes each. */
const serialisedBytes = (chars: number, wide: boolean) => ENVELOPE_BYTES + chars * (wide ? 2 : 1);

/** What a message says about its project beside the events. */
export interface MessageOptions {
  /** The project keeps example events (message-schema.ts). */
  examples?: boolean;
}

export function packSized(
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
  options: MessageOptions = {},
): SizedMessage[] {
  const messages: SizedMessage[] = [];
  let parts: string[] = [];
  let chars = 2; // "[" and "]"
  let wide = false;
  let first = 0;
  const flush = () => {
    if (parts.length === 0) return;
    const body: TelemetryMessageBody = {
      v: 3,
      projectId,
      receivedAt,
      count: parts.length,
      events: `[${parts}]`,
      ...(options.examples ? { examples: true as const } : {}),
    };
    messages.push({ body, bytes: serialisedBytes(chars, wide), first });
    first += parts.length;
    parts = [];
    chars = 2;
    wide = false;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const jsonWide = WIDE.test(json);
    const grown = chars + json.length + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && serialisedBytes(grown, wide || jsonWide) > MAX_MESSAGE_BYTES) flush();
    // NOTE: one event alone is far below the limit: ingest caps each field's length.
    chars += json.length + (parts.length > 0 ? 1 : 0);
    wide ||= jsonWide;
    parts.push(json);
  }
  flush();
  return messages;
}

/** Splits events into messages of at most MAX_MESSAGE_BYTES each, in order. */
export function packMessages(
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
): TelemetryMessageBody[] {
  return packSized(projectId, receivedAt, events).map((m) => m.body);
}

/** Groups messages into sendBatch calls within the per-call message and byte limits. */
function groupForSend(messages: readonly SizedMessage[]): SizedMessage[][] {
  const groups: SizedMessage[][] = [];
  let group: SizedMessage[] = [];
  let groupBytes = 0;
  for (const m of messages) {
    if (
      group.length >= MAX_BATCH_MESSAGES ||
      (group.length > 0 && groupBytes + m.bytes > MAX_BATCH_BYTES)
    ) {
      groups.push(group);
      group = [];
      groupBytes = 0;
    }
    group.push(m);
    groupBytes += m.bytes;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** A send, tried once more on failure: queue sends fail transiently now and then. */
async function sendTwice(queue: Queue<TelemetryMessageBody>, group: SizedMessage[]) {
  const send = () =>
    group.length === 1 && group[0]
      ? queue.send(group[0].body, { contentType: "v8" })
      : queue.sendBatch(group.map((m) => ({ body: m.body, contentType: "v8" as const })));
  try {
    await send();
  } catch (first) {
    console.warn("telemetry send failed; trying once more", first);
    await send();
  }
}

/**
 * Sends all messages (sendBatch calls in parallel) and returns the positions, in
 * `events`, of the events that could not be queued: [] when all were. Sends that
 * succeeded stay queued, so the caller must say exactly which events were not.
 */
export async function enqueueReportingFailures(
  queue: Queue<TelemetryMessageBody>,
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
  options: MessageOptions = {},
): Promise<number[]> {
  const groups = groupForSend(packSized(projectId, receivedAt, events, options));
  const results = await Promise.allSettled(groups.map((g) => sendTwice(queue, g)));
  const failed: number[] = [];
  results.forEach((result, g) => {
    if (result.status === "fulfilled") return;
    console.error("telemetry send failed twice", result.reason);
    for (const m of groups[g] ?? []) {
      for (let i = m.first; i < m.first + m.body.count; i++) failed.push(i);
    }
  });
  return failed;
}

/** Sends all events; throws when any could not be queued (for callers that retry whole). */
export async function enqueueEvents(
  queue: Queue<TelemetryMessageBody>,
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
): Promise<void> {
  const failed = await enqueueReportingFailures(queue, projectId, receivedAt, events);
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${events.length} events could not be queued`);
  }
}
