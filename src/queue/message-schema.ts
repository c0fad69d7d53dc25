// zod check of TELEMETRY messages: events were fully validated at ingest, so only
// the envelope and the fields the consumer routes on are re-checked here.
import { z } from "zod";
import type { NormalizedEvent } from "../ingest/normalized";

const RoutedEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.enum(["interaction", "feedback"]),
  deployment: z.string().min(1),
  environment: z.string().min(1),
  ts: z.number(),
});

export const TelemetryMessageSchema = z.object({
  v: z.literal(1),
  projectId: z.string().min(1),
  receivedAt: z.number(),
  events: z.array(RoutedEventSchema.transform((e) => e as unknown as NormalizedEvent)),
});
