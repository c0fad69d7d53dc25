// When the direct intake (intake.ts) commits what it holds: the coalescing window of small
// requests sent straight to a deployment's Durable Object. Pure: times in, a time out.
//
// Durable Object storage is billed per row written, and one commit writes ~10 rows
// however many events it carries (window, release totals, ledger run, archive outbox and
// their later merges and deletes), so the object holds requests briefly and commits them
// together. The window closes at the first of:
//   - QUIET_MS after the last arrival: nobody else is coming (a few clients, each waiting
//     for its answer before sending again, are all in);
//   - MAX_WAIT_MS after the first arrival: the latency bound of busy traffic (at 1,000
//     requests/s, ~180 events per commit: 0.06 rows written per event);
//   - MAX_EVENTS held: the commit stays a small transaction.
// At 1,000 requests/s of independent arrivals a quiet gap of 6 ms happens once in ~400,
// so busy windows mostly close on MAX_WAIT_MS; sparse traffic commits alone, with
// QUIET_MS of added latency. Below ~500 requests/s of independent arrivals the quiet
// rule closes windows early (1.8 events per commit at 100/s): the price of answering a
// few waiting clients fast (bench/results/capacity.md, docs/architecture.md).

export const QUIET_MS = 6;
export const MAX_WAIT_MS = 250;
export const MAX_EVENTS = 1_000;

export interface WindowState {
  /** When the oldest held request arrived (epoch ms). */
  firstAt: number;
  /** When the latest held request arrived. */
  lastAt: number;
  /** Events held. */
  events: number;
}

/** When the window holding `state` closes (epoch ms): at or before `now` means commit now. */
export function closesAt(state: WindowState): number {
  if (state.events >= MAX_EVENTS) return state.lastAt;
  return Math.min(state.lastAt + QUIET_MS, state.firstAt + MAX_WAIT_MS);
}
