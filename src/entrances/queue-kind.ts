// Maps a queue's name (which carries an environment suffix) to the handler kind.
export const QUEUE_KINDS = [
  "telemetry-dlq",
  "telemetry",
  "notifications-dlq",
  "notifications",
  "evaluations",
] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** "driftwatch-telemetry-dlq-staging" → "telemetry-dlq"; undefined for unknown queues. */
export function queueKind(name: string): QueueKind | undefined {
  const rest = name.replace(/^driftwatch-/, "");
  // Longest kinds first, so "telemetry-dlq-…" is not taken for "telemetry".
  return QUEUE_KINDS.find((kind) => rest === kind || rest.startsWith(`${kind}-`));
}
