// Packs normalised events into TELEMETRY queue messages within the platform limits.
import type { NormalizedEvent } from "./normalized";

// NOTE: Queues allow 128 KB per message and 100 messages / 256 KB per sendBatch;
// stay below both with headroom for the envelope.
const MAX_MESSAGE_BYTES = 100_000;
const MAX_BATCH_BYTES = 240_000;
const MAX_BATCH_MESSAGES = 100;

export interface TelemetryMessage {
  v: 1;
  projectId: string;
  receivedAt: number;
  events: NormalizedEvent[];
}

const encoder = new TextEncoder();
const sizeOf = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

/** Splits events into messages of at most MAX_MESSAGE_BYTES of JSON each. */
export function packMessages(
  projectId: string,
  receivedAt: number,
  events: NormalizedEvent[],
): { body: TelemetryMessage; bytes: number }[] {
  const envelope = sizeOf({ v: 1, projectId, receivedAt, events: [] });
  const out: { body: TelemetryMessage; bytes: number }[] = [];
  let current: NormalizedEvent[] = [];
  let bytes = envelope;
  for (const event of events) {
    const size = sizeOf(event) + 1;
    if (current.length > 0 && bytes + size > MAX_MESSAGE_BYTES) {
      out.push({ body: { v: 1, projectId, receivedAt, events: current }, bytes });
      current = [];
      bytes = envelope;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0)
    out.push({ body: { v: 1, projectId, receivedAt, events: current }, bytes });
  return out;
}

/** Sends all messages, grouping them into sendBatch calls within the batch limits. */
export async function enqueueEvents(
  queue: Queue<TelemetryMessage>,
  projectId: string,
  receivedAt: number,
  events: NormalizedEvent[],
): Promise<void> {
  const messages = packMessages(projectId, receivedAt, events);
  let group: MessageSendRequest<TelemetryMessage>[] = [];
  let groupBytes = 0;
  const sends: Promise<unknown>[] = [];
  for (const { body, bytes } of messages) {
    if (
      group.length >= MAX_BATCH_MESSAGES ||
      (group.length > 0 && groupBytes + bytes > MAX_BATCH_BYTES)
    ) {
      sends.push(queue.sendBatch(group));
      group = [];
      groupBytes = 0;
    }
    group.push({ body, contentType: "json" });
    groupBytes += bytes;
  }
  if (group.length === 1 && group[0])
    sends.push(queue.send(group[0].body, { contentType: "json" }));
  else if (group.length > 0) sends.push(queue.sendBatch(group));
  await Promise.all(sends);
}
