// A priced interaction for the tests of who spends: one user's request of a second ago
// costing `cost` USD, as the Worker hands it to the deployment's Durable Object.
import type { ArchivedEvent } from "../../src/archive/layout";

let seq = 0;

export function spendEvent(
  slug: string,
  user: string,
  cost: number,
  extra: Partial<ArchivedEvent> = {},
): ArchivedEvent {
  const now = Date.now();
  return {
    type: "interaction",
    id: `spend-${seq++}`,
    deployment: slug,
    environment: "production",
    ts: now - 1_000,
    status: "ok",
    cost_usd: cost,
    user_hash: user,
    received_at: now,
    ...extra,
  } as ArchivedEvent;
}
