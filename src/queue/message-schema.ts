// The queue messages: each schema is the one definition of its type (z.infer), shared by
// producer and consumer. TELEMETRY (producer: src/queue/enqueue.ts): the envelope goes
// through zod; the events inside were fully validated at ingest, so only the fields the
// consumer routes on are checked, by hand (zod cannot compile validators in Workers, and
// one batch holds ~16,000 events).
import type { NormalizedEvent } from "../ingest/normalized";
import { z } from "../zod";

export const TelemetryMessageSchema = z.object({
  v: z.literal(3),
  projectId: z.string().min(1),
  /** When the Worker received the events (epoch ms). */
  receivedAt: z.number(),
  count: z.number().int(),
  /** The events array as JSON text: parsed once by the consumer. */
  events: z.string(),
  /** The project keeps example events (its keep_examples setting when the Worker received them). */
  examples: z.literal(true).optional(),
});

/** A message body as sent. */
export type TelemetryMessageBody = z.infer<typeof TelemetryMessageSchema>;

/** A message as the consumer uses it: the events parsed. */
export type TelemetryMessage = Pick<
  TelemetryMessageBody,
  "projectId" | "receivedAt" | "examples"
> & {
  events: NormalizedEvent[];
};

/** NOTIFICATIONS (producer: src/alerts/delivery/outbox.ts): one delivery row to attempt. */
export const NotificationMessageSchema = z.object({ deliveryId: z.string().min(1) });
export type NotificationMessage = z.infer<typeof NotificationMessageSchema>;

/** EVALUATIONS (producer: src/alerts/evaluation/run-evaluations.ts): one deployment's minute. */
export const EvaluationMessageSchema = z.object({
  deploymentId: z.string().min(1),
  minute: z.number().int(),
});
export type EvaluationMessage = z.infer<typeof EvaluationMessageSchema>;

const nonEmpty = (v: unknown) => typeof v === "string" && v.length > 0;

function isRoutable(e: unknown): e is NormalizedEvent {
  if (typeof e !== "object" || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    nonEmpty(r.id) &&
    (r.type === "interaction" || r.type === "feedback" || r.type === "eval") &&
    nonEmpty(r.deployment) &&
    nonEmpty(r.environment) &&
    typeof r.ts === "number"
  );
}

export type ParsedMessage =
  | { success: true; data: TelemetryMessage }
  | { success: false; error: string };

export function parseTelemetryMessage(body: unknown): ParsedMessage {
  const envelope = TelemetryMessageSchema.safeParse(body);
  if (!envelope.success) return { success: false, error: envelope.error.message };
  const m = envelope.data;
  let events: unknown;
  try {
    events = JSON.parse(m.events);
  } catch (err) {
    return {
      success: false,
      error: `undecodable events: ${err instanceof Error ? err.message : String(err)}`,
    };
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
      ...(m.examples ? { examples: true } : {}),
    },
  };
}

/** A JSON-friendly copy of a message body for the dead-letter log (events parsed). */
export function readableBody(body: unknown): { json: string; eventCount: number } {
  const parsed = parseTelemetryMessage(body);
  if (parsed.success) {
    return { json: JSON.stringify(parsed.data), eventCount: parsed.data.events.length };
  }
  return { json: JSON.stringify(body) ?? "null", eventCount: 0 };
}
