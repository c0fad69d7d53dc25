// Checks and decodes TELEMETRY messages. The envelope goes through zod; the events
// inside were fully validated at ingest, so only the fields the consumer routes on
// are checked, by hand (zod cannot compile validators in Workers, and one batch
// holds ~16,000 events).

import type { TelemetryMessage } from "../ingest/enqueue";
import type { NormalizedEvent } from "../ingest/normalized";
import { z } from "../zod";

const EnvelopeSchema = z.discriminatedUnion("v", [
  z.object({
    v: z.literal(1),
    projectId: z.string().min(1),
    receivedAt: z.number(),
    events: z.array(z.unknown()),
  }),
  z.object({
    v: z.literal(2),
    projectId: z.string().min(1),
    receivedAt: z.number(),
    count: z.number().int(),
    deflated: z.instanceof(Uint8Array),
  }),
  z.object({
    v: z.literal(3),
    projectId: z.string().min(1),
    receivedAt: z.number(),
    count: z.number().int(),
    events: z.string(),
  }),
]);

/** Raw DEFLATE, as v2 messages carried their events. */
export async function inflateRaw(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).text();
}

const nonEmpty = (v: unknown) => typeof v === "string" && v.length > 0;

function isRoutable(e: unknown): e is NormalizedEvent {
  if (typeof e !== "object" || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    nonEmpty(r.id) &&
    (r.type === "interaction" || r.type === "feedback") &&
    nonEmpty(r.deployment) &&
    nonEmpty(r.environment) &&
    typeof r.ts === "number"
  );
}

export type ParsedMessage =
  | { success: true; data: TelemetryMessage }
  | { success: false; error: string };

export async function parseTelemetryMessage(body: unknown): Promise<ParsedMessage> {
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) return { success: false, error: envelope.error.message };
  const m = envelope.data;
  let events: unknown;
  let eventsJson: string | undefined;
  if (m.v === 1) events = m.events;
  else {
    try {
      eventsJson = m.v === 2 ? await inflateRaw(m.deflated) : m.events;
      events = JSON.parse(eventsJson);
    } catch (err) {
      return {
        success: false,
        error: `undecodable events: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  if (!Array.isArray(events)) return { success: false, error: "events is not an array" };
  const bad = events.findIndex((e) => !isRoutable(e));
  if (bad >= 0)
    return {
      success: false,
      error: `events.${bad}: missing id, type, deployment, environment or ts`,
    };
  return {
    success: true,
    data: {
      projectId: m.projectId,
      receivedAt: m.receivedAt,
      events: events as NormalizedEvent[],
      ...(eventsJson ? { eventsJson } : {}),
    },
  };
}

/** A JSON-friendly copy of a message body for the dead-letter log (v2 events inflated). */
export async function readableBody(body: unknown): Promise<{ json: string; eventCount: number }> {
  const parsed = await parseTelemetryMessage(body);
  if (parsed.success) {
    const { eventsJson: _json, ...rest } = parsed.data;
    return { json: JSON.stringify(rest), eventCount: rest.events.length };
  }
  return { json: JSON.stringify(body) ?? "null", eventCount: 0 };
}
