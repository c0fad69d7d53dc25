// Named points where the fault-injection tests (test/system/faults.test.ts) make an operation
// fail, without mocking D1, Queues or Durable Objects. Only tests set a hook: nothing in
// src/ assigns `faultHooks` (test/system/fault-points.test.ts checks), so in production every
// point is one property read of an empty object.

export type FaultPoint =
  /** In DeploymentMonitor.apply's transaction, after each bucket merged; detail: deployment id. */
  | "monitor.apply"
  /** In DeploymentMonitor.ingest's transaction, after counting, before the ledger and outbox; detail: monitor id. */
  | "monitor.ingest"
  /** After the direct intake committed its held requests, before they are answered (the answers are lost); detail: monitor id. */
  | "intake.answer"
  /** After the Durable Objects committed a batch, before the consumer's D1 upserts and ack; detail: monitor ids. */
  | "consumer.record"
  /** After the legacy drain's Durable Object calls, before its D1 deletes; detail: row count. */
  | "legacy.delete"
  /** After a chunk's assignment is committed, before its R2 put; detail: the object key. */
  | "archive.put"
  /** After a chunk's R2 put, before its outbox rows are deleted; detail: the object key. */
  | "archive.written"
  /** Before each NOTIFICATIONS sendBatch of the outbox; detail: the delivery ids. */
  | "notifications.send"
  /** At the start of one deployment's evaluation; detail: the deployment id. */
  | "evaluate.deployment";

/** A hook throws to make the operation at its point fail. */
export const faultHooks: Partial<Record<FaultPoint, (detail: string) => void>> = {};

export function faultPoint(point: FaultPoint, detail: string): void {
  faultHooks[point]?.(detail);
}
