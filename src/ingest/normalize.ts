// Fills defaults (id, environment, ts, cost) and hashes user/session identifiers with
// the project's secret key, so that raw identifiers never reach the queue or storage.

import { hashIdentifier } from "../privacy/identifier-hash";
import type { NormalizedEvent, NormalizedInteraction } from "./normalized";
import type { ValidEvent } from "./parse-batch";
import { computeCostUsd, type PriceOverrides } from "./prices";
import { type IdMaker, randomIds } from "./request-ids";

export const DEFAULT_ENVIRONMENT = "production";

/** Defaults and cost, synchronously; identifiers are hashed by normalizeEvents. */
function normalizeOne(
  { event, ts, index }: ValidEvent,
  overrides: PriceOverrides | null | undefined,
  eventIdAt: IdMaker,
): { out: NormalizedEvent; user?: string; session?: string } {
  const environment = event.environment ?? DEFAULT_ENVIRONMENT;
  if (event.type === "feedback") {
    // One feedback per interaction: a resend or a changed mind keeps the first.
    return { out: { ...event, id: event.id ?? `fb_${event.ref}`, environment, ts } };
  }
  if (event.type === "eval") {
    // One eval event per interaction and eval names: a resend keeps the first.
    const names = Object.keys(event.evals).sort().join(",");
    return { out: { ...event, id: event.id ?? `ev_${event.ref}_${names}`, environment, ts } };
  }
  const { user, session, type: _type, ...rest } = event;
  const out: NormalizedInteraction = {
    ...rest,
    type: "interaction",
    // Ids by position in the request: random unless it carried an Idempotency-Key.
    id: event.id ?? eventIdAt(index),
    environment,
    ts,
    status: event.status ?? "ok",
  };
  if (event.cost_usd !== undefined) out.cost_source = "reported";
  else if (event.model) {
    const cost = computeCostUsd(
      {
        model: event.model,
        input_tokens: event.input_tokens,
        output_tokens: event.output_tokens,
        cache_read_input_tokens: event.cache_read_input_tokens,
        cache_creation_input_tokens: event.cache_creation_input_tokens,
      },
      overrides ?? undefined,
    );
    if (cost !== undefined) {
      out.cost_usd = cost;
      out.cost_source = "price_table";
    }
  }
  return { out, ...(user ? { user } : {}), ...(session ? { session } : {}) };
}

/** Normalises a batch; only events that carry user or session wait for hashing. */
export async function normalizeEvents(
  hashKey: CryptoKey,
  valid: readonly ValidEvent[],
  overrides?: PriceOverrides | null,
  eventIdAt: IdMaker = randomIds,
): Promise<NormalizedEvent[]> {
  const results = valid.map((v) => normalizeOne(v, overrides, eventIdAt));
  const hashing: Promise<void>[] = [];
  const hashInto = async (
    out: NormalizedInteraction,
    field: "user_hash" | "session_hash",
    value: string,
  ) => {
    out[field] = await hashIdentifier(hashKey, value);
  };
  for (const { out, user, session } of results) {
    if (out.type !== "interaction") continue;
    if (user) hashing.push(hashInto(out, "user_hash", user));
    if (session) hashing.push(hashInto(out, "session_hash", session));
  }
  await Promise.all(hashing);
  return results.map((r) => r.out);
}
