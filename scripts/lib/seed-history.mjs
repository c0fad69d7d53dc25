// Seeds the demo's history through the real ingest API (POST /v1/events, 500 events a
// request, a few requests in flight) and waits until the pipeline has counted it.
import { createRng, DEPLOYMENTS, ENVIRONMENT, historyEvents } from "./scenario.mjs";

const BATCH = 500;
const IN_FLIGHT = 4;

async function post(base, key, events) {
  const res = await fetch(`${base}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ events }),
  });
  const json = await res.json().catch(() => ({}));
  if (res.status !== 202) throw new Error(`/v1/events: ${res.status} ${JSON.stringify(json)}`);
  return json.accepted ?? 0;
}

/** Interactions the last 7 days' window of each demo deployment holds (0 if unknown yet). */
export async function countedBySlug(base, readKey) {
  const counts = {};
  for (const d of DEPLOYMENTS) {
    const res = await fetch(`${base}/v1/deployments/${ENVIRONMENT}/${d.slug}/window?range=7d`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    counts[d.slug] = res.ok ? (await res.json()).window.summary.count : 0;
    if (!res.ok) await res.body?.cancel();
  }
  return counts;
}

/**
 * Sends the history for [from, to) and waits (up to `timeoutMs`) until it is counted.
 * Returns {sent, counted}.
 */
export async function seedHistory(base, keys, from, to, { timeoutMs = 60_000 } = {}) {
  const events = historyEvents(from, to, createRng(to % 2 ** 31));
  if (events.length === 0) return { sent: 0, counted: true };
  const before = await countedBySlug(base, keys.read);
  const batches = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  let sent = 0;
  for (let i = 0; i < batches.length; i += IN_FLIGHT) {
    const accepted = await Promise.all(
      batches.slice(i, i + IN_FLIGHT).map((b) => post(base, keys.ingest, b)),
    );
    sent += accepted.reduce((a, b) => a + b, 0);
  }
  const expected = {};
  for (const e of events) expected[e.deployment] = (expected[e.deployment] ?? 0) + 1;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await countedBySlug(base, keys.read);
    if (DEPLOYMENTS.every((d) => now[d.slug] >= (before[d.slug] ?? 0) + (expected[d.slug] ?? 0))) {
      return { sent, counted: true };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { sent, counted: false };
}
