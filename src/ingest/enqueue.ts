// Packs normalised events into TELEMETRY queue messages within the platform limits:
// the events' JSON, deflated (≈ 5× smaller), so a typical request is one message.
import type { NormalizedEvent } from "./normalized";

// NOTE: Queues allow 128 KB per message and 100 messages / 256 KB per sendBatch;
// stay below both with headroom for the envelope.
const MAX_MESSAGE_BYTES = 100_000;
const MAX_BATCH_BYTES = 240_000;
const MAX_BATCH_MESSAGES = 100;

/** v1: events as plain objects (still accepted by the consumer). */
export interface TelemetryMessageV1 {
  v: 1;
  projectId: string;
  receivedAt: number;
  events: NormalizedEvent[];
}

/** v2: the events array as raw-deflated JSON. */
export interface TelemetryMessageV2 {
  v: 2;
  projectId: string;
  receivedAt: number;
  count: number;
  deflated: Uint8Array;
}

export type TelemetryMessageBody = TelemetryMessageV1 | TelemetryMessageV2;

/** A decoded message, as the consumer uses it. */
export interface TelemetryMessage {
  projectId: string;
  receivedAt: number;
  events: NormalizedEvent[];
  /** The events' JSON when the message carried it (v2), reused for the D1 insert. */
  eventsJson?: string;
}

/** Raw DEFLATE with the runtime's native CompressionStream (far faster than JS). */
export async function deflateRaw(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function inflateRaw(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).text();
}

async function pack(
  projectId: string,
  receivedAt: number,
  events: NormalizedEvent[],
): Promise<TelemetryMessageV2[]> {
  const deflated = await deflateRaw(JSON.stringify(events));
  if (deflated.byteLength <= MAX_MESSAGE_BYTES || events.length === 1) {
    return [{ v: 2, projectId, receivedAt, count: events.length, deflated }];
  }
  const half = Math.ceil(events.length / 2);
  return [
    ...(await pack(projectId, receivedAt, events.slice(0, half))),
    ...(await pack(projectId, receivedAt, events.slice(half))),
  ];
}

/** Splits events into messages of at most MAX_MESSAGE_BYTES (deflated) each. */
export async function packMessages(
  projectId: string,
  receivedAt: number,
  events: NormalizedEvent[],
): Promise<TelemetryMessageV2[]> {
  return events.length === 0 ? [] : pack(projectId, receivedAt, events);
}

/** Sends all messages, grouping them into sendBatch calls within the batch limits. */
export async function enqueueEvents(
  queue: Queue<TelemetryMessageBody>,
  projectId: string,
  receivedAt: number,
  events: NormalizedEvent[],
): Promise<void> {
  const messages = await packMessages(projectId, receivedAt, events);
  if (messages.length === 1 && messages[0]) {
    await queue.send(messages[0], { contentType: "v8" });
    return;
  }
  const sends: Promise<unknown>[] = [];
  let group: MessageSendRequest<TelemetryMessageBody>[] = [];
  let groupBytes = 0;
  for (const body of messages) {
    const bytes = body.deflated.byteLength + 200;
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
