// The direct intake: small ingest requests sent by the Worker straight to the deployment's
// Durable Object (src/queue/deliver.ts), committed in groups (intake-window.ts says when)
// through the same accepting transaction as the queue consumer's batches
// (MonitorCore.ingest: ledger, release totals, archive outbox; windows by a later fold).
// Each request's call returns only after the commit holding its events is durable (the
// commit awaits storage.sync(); the runtime's output gate holds the answer until the write
// is confirmed anyway): a 202 still means stored.
//
// One commit at a time. A request that finds the object idle is committed at once; those
// arriving while a commit is in flight, or while a group is held open, wait for the next
// commit, which starts when the one in flight has finished and its group has closed: at
// once when a request of the group has a client waiting for it, after the quiet span when
// all are beacons (intake-window.ts).
//
// A failed commit fails every request it held; the Worker then sends those events to the
// queue with the same ids and receive time, and the ledger counts each once whichever way
// it arrived first (a commit whose answer was lost is recognised as copies).
import type { ArchivedEvent } from "../archive/layout";
import { faultPoint } from "../fault-points";
import type { IngestRequest, IngestResult, IntakeRequest, MonitorRef } from "./ingest-request";
import {
  arrive,
  closesAt,
  commitsAtOnce,
  firstPace,
  MAX_EVENTS,
  type Pace,
  quietMs,
  type WindowState,
} from "./intake-window";
import { monitorIdOf } from "./monitor-id";

interface Held {
  /** When it arrived (epoch ms). */
  at: number;
  monitor: MonitorRef;
  events: ArchivedEvent[];
  examples: boolean;
  beacon: boolean;
  done: { resolve: () => void; reject: (err: unknown) => void };
}

/** What the intake has done since the object started (stats(), bench/capacity). */
export interface IntakeCounts {
  requests: number;
  /** Of those, beacons (held for a shared commit). */
  beacons: number;
  events: number;
  commits: number;
}

export class DirectIntake {
  private held: Held[] = [];
  private pace: Pace = firstPace();
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly counts: IntakeCounts = {
    requests: 0,
    beacons: 0,
    events: 0,
    commits: 0,
  };

  /** `commit` must resolve only once its write is durable. */
  constructor(
    private readonly commit: (req: IngestRequest) => Promise<IngestResult>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Resolves once the request's events are committed; rejects if their commit failed. */
  submit(req: IntakeRequest): Promise<void> {
    const now = this.clock();
    const beacon = req.beacon === true;
    this.counts.requests++;
    if (beacon) this.counts.beacons++;
    this.counts.events += req.events.length;
    const busy = this.inFlight || this.held.length > 0;
    const atOnce = commitsAtOnce(this.pace, now, busy, beacon);
    this.pace = arrive(this.pace, now, busy);
    const done = new Promise<void>((resolve, reject) => {
      this.held.push({
        at: now,
        monitor: req.monitor,
        events: req.events,
        examples: req.examples === true,
        beacon,
        done: { resolve, reject },
      });
    });
    if (atOnce) void this.run();
    else this.arm(now);
    return done;
  }

  counters(): IntakeCounts {
    return { ...this.counts };
  }

  /** Commits the held group when it closes, unless a commit is in flight (it calls back). */
  private arm(now: number): void {
    const state = this.window();
    if (this.inFlight || !state) return;
    if (this.timer !== null) clearTimeout(this.timer);
    const wait = closesAt(state, quietMs(this.pace)) - now;
    if (wait <= 0) void this.run();
    else this.timer = setTimeout(() => void this.run(), wait);
  }

  /** Commits the held group, then arms the next one (if any arrived meanwhile). */
  private async run(): Promise<void> {
    if (this.inFlight) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const group = this.take();
    if (group.length === 0) return;
    this.inFlight = true;
    try {
      await this.commitGroup(group);
    } finally {
      this.inFlight = false;
      this.arm(this.clock());
    }
  }

  /** The held requests (one monitor's; MAX_EVENTS at most, or one larger request). */
  private take(): Held[] {
    const first = this.held[0];
    if (!first) return [];
    const id = monitorIdOf(first.monitor);
    const group: Held[] = [];
    let events = 0;
    const rest: Held[] = [];
    for (const h of this.held) {
      const fits = group.length === 0 || events + h.events.length <= MAX_EVENTS;
      if (fits && monitorIdOf(h.monitor) === id) {
        group.push(h);
        events += h.events.length;
      } else rest.push(h);
    }
    this.held = rest;
    return group;
  }

  /** The held group's arrivals and size, null with none held. */
  private window(): WindowState | null {
    const first = this.held[0];
    const last = this.held[this.held.length - 1];
    if (!first || !last) return null;
    const events = this.held.reduce((n, h) => n + h.events.length, 0);
    const waiting = this.held.some((h) => !h.beacon);
    return { firstAt: first.at, lastAt: last.at, events, waiting };
  }

  private async commitGroup(group: Held[]): Promise<void> {
    const [first] = group;
    if (!first) return;
    this.counts.commits++;
    try {
      // Examples only when every request held says so (as for a queue batch: route.ts).
      const examples = group.every((h) => h.examples);
      await this.commit({
        monitor: first.monitor,
        events: group.flatMap((h) => h.events),
        examples,
      });
      faultPoint("intake.answer", monitorIdOf(first.monitor));
      for (const h of group) h.done.resolve();
    } catch (err) {
      for (const h of group) h.done.reject(err);
    }
  }
}
