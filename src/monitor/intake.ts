// The direct intake: small ingest requests sent by the Worker straight to the deployment's
// Durable Object (src/queue/deliver.ts), held for a short window (intake-window.ts) and
// committed together through the same accepting transaction as the queue consumer's
// batches (MonitorCore.ingest: ledger, windows, release totals, archive outbox). Each
// request's call returns only after the commit holding its events, and the runtime's
// output gate holds that answer until the write is durable: a 202 still means stored.
//
// A failed commit fails every request it held; the Worker then sends those events to the
// queue with the same ids and receive time, and the ledger counts each once whichever way
// it arrived first (a commit whose answer was lost is recognised as copies).
import type { ArchivedEvent } from "../archive/layout";
import { faultPoint } from "../fault-points";
import type { IngestRequest, IngestResult, MonitorRef } from "./ingest-request";
import { closesAt, type WindowState } from "./intake-window";
import { monitorIdOf } from "./monitor-id";

interface Held {
  events: ArchivedEvent[];
  examples: boolean;
  done: { resolve: () => void; reject: (err: unknown) => void };
}

/** What the intake has done since the object started (stats(), bench/capacity). */
export interface IntakeCounts {
  requests: number;
  events: number;
  commits: number;
}

export class DirectIntake {
  private held: Held[] = [];
  private monitor: MonitorRef | null = null;
  private state: WindowState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly counts: IntakeCounts = { requests: 0, events: 0, commits: 0 };

  constructor(
    private readonly commit: (req: IngestRequest) => Promise<IngestResult>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Resolves once the request's events are committed; rejects if their commit failed. */
  submit(req: IngestRequest): Promise<void> {
    const now = this.clock();
    this.counts.requests++;
    this.counts.events += req.events.length;
    this.monitor ??= req.monitor;
    this.state = this.state
      ? { ...this.state, lastAt: now, events: this.state.events + req.events.length }
      : { firstAt: now, lastAt: now, events: req.events.length };
    const done = new Promise<void>((resolve, reject) => {
      this.held.push({
        events: req.events,
        examples: req.examples === true,
        done: { resolve, reject },
      });
    });
    this.arm(now);
    return done;
  }

  counters(): IntakeCounts {
    return { ...this.counts };
  }

  /** (Re)sets the timer for the window's close; commits at once when it is due. */
  private arm(now: number): void {
    if (!this.state) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), Math.max(0, closesAt(this.state) - now));
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const held = this.held;
    const monitor = this.monitor;
    this.held = [];
    this.monitor = null;
    this.state = null;
    if (!monitor || held.length === 0) return;
    this.counts.commits++;
    try {
      // Examples only when every request held says so (as for a queue batch: route.ts).
      const examples = held.every((h) => h.examples);
      await this.commit({ monitor, events: held.flatMap((h) => h.events), examples });
      faultPoint("intake.answer", monitorIdOf(monitor));
      for (const h of held) h.done.resolve();
    } catch (err) {
      for (const h of held) h.done.reject(err);
    }
  }
}
