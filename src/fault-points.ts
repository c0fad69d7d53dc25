// Named points where the fault-injection tests (test/faults.test.ts) make an operation
// fail, without mocking D1, Queues or Durable Objects. Only tests set a hook: nothing in
// src/ assigns `faultHooks` (test/fault-points.test.ts checks), so in production every
// point is one property read of an empty object.

export type FaultPoint =
  /** In DeploymentMonitor.apply's transaction, after each bucket merged; detail: deployment id. */
  | "monitor.apply"
  /** Before the consumer's D1 write that closes a counted claim; detail: the claim token. */
  | "claim.close"
  /** Before each NOTIFICATIONS sendBatch of the outbox; detail: the delivery ids. */
  | "notifications.send"
  /** At the start of one deployment's evaluation; detail: the deployment id. */
  | "evaluate.deployment";

/** A hook throws to make the operation at its point fail. */
export const faultHooks: Partial<Record<FaultPoint, (detail: string) => void>> = {};

export function faultPoint(point: FaultPoint, detail: string): void {
  faultHooks[point]?.(detail);
}
