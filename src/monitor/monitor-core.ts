// What a deployment's Durable Object does (deployment-monitor.ts is the class the runtime
// instantiates; it loads this module on the object's first request). One object per
// deployment (and one per deployment's probe runs). It composes its stores: the ledger of
// event ids (ledger/), the time buckets (bucket-store.ts: 1-minute for 2 h, 1-hour for 35
// days), the release totals (release-store.ts) and the archive outbox (archive-outbox.ts).
// Ingest touches all four in one SQLite transaction, exactly once; the alarm flushes
// rollups to D1, writes the archive to R2 and forgets what expired.
//
// Windows counted later. An accepting commit records the events (ledger, archive outbox,
// release totals, first and last seen) but does not count them into the windows (minute
// and hour buckets, segment counts, distinct users, release arms, spend): decoding, merging
// and re-encoding those rows was most of a small commit's CPU and half its rows. The
// outbox already holds every accepted event in sequence; `fold` counts the events past
// the `window_fold` mark into the windows and moves the mark in one transaction, so each is
// counted exactly once however often the object restarts. It runs before anything reads
// or flushes the windows or deletes outbox rows (snapshot, windows, armWindows,
// topSpenders, the alarm, the archive flush), so no reader sees a window without its
// accepted events.

import type { ArchivedEvent } from "../archive/layout";
import { faultPoint } from "../fault-points";
import { minuteBuckets, releaseCombos } from "../window/aggregate";
import {
  type Bucket,
  decodeBucket,
  emptyBucket,
  encodeBucket,
  mergeBuckets,
} from "../window/bucket";
import { type ExampleEvent, type ExampleOutcome, exampleHours } from "../window/example-sample";
import { encodeSegments, segmentMinutes } from "../window/segment-counts";
import { encodeMoments, momentMinutes } from "../window/segment-moments";
import { encodeUsers, userMinutes } from "../window/segment-users";
import { summarizeBucket, type WindowSummary } from "../window/summary";
import { ArchiveOutbox, type ArchiveTarget } from "./archive-outbox";
import { ArmStore, type ArmWindow } from "./arm-store";
import { BucketStore, type Resolution, type WindowRequest } from "./bucket-store";
import { ExampleStore } from "./example-store";
import type {
  IngestRequest,
  IngestResult,
  IntakeRequest,
  LegacyDrainRequest,
  MonitorRef,
  ReleaseTotal,
} from "./ingest-request";
import { DirectIntake, type IntakeCounts } from "./intake";
import { idFingerprint } from "./ledger/id-hash";
import { EventLedger, earliestOriginal, type LedgerEntry } from "./ledger/ledger";
import { OwedMarkers } from "./markers";
import { monitorIdOf } from "./monitor-id";
import { ReleaseStore } from "./release-store";
import { TOKEN_RETENTION_MS } from "./retention-horizons";
import { flushRollups } from "./rollups";
import { SegmentStore } from "./segment-store";
import { SpendStore, type TopSpenders } from "./spend-store";
import { UserStore } from "./user-store";

export type { Resolution, WindowRequest } from "./bucket-store";

export interface ApplyRequest {
  deploymentId: string;
  /** A batch with a token already applied is ignored. */
  token: string;
  /** 1-minute buckets, encoded with encodeBucket. */
  buckets: { start: number; data: string }[];
}

export interface WindowSnapshot {
  deploymentId: string | null;
  from: number;
  to: number;
  resolution: Resolution;
  buckets: number;
  /** Buckets in the range that could not be decoded: left out of the summary, kept aside. */
  quarantined: number;
  summary: WindowSummary;
}

export interface EncodedWindow {
  from: number;
  to: number;
  resolution: Resolution;
  /** Buckets that had data in the range. */
  buckets: number;
  /** Buckets in the range that could not be decoded and were left out. */
  quarantined: number;
  /** The merged bucket, encodeBucket() output. */
  data: string;
  /** Outcome counts per segment over the range, encodeSegments() output ("" for none). */
  segments?: string;
  /** Moments per segment (src/window/segment-moments.ts), encodeMoments() output. */
  moments?: string;
  /** Distinct users per segment, encodeUsers() output; absent when read at hours. */
  users?: string;
}

const FLUSH_DELAY_MS = 30_000;

export class MonitorCore {
  private readonly sql: SqlStorage;
  private readonly ledger: EventLedger;
  private readonly outbox: ArchiveOutbox;
  private readonly releases: ReleaseStore;
  private readonly buckets: BucketStore;
  private readonly intake = new DirectIntake((req) => this.commitDirect(req));
  /** The direct intake's D1 markers, written by the alarm (markers.ts). */
  private readonly markers = new OwedMarkers();
  private readonly segments: SegmentStore;
  private readonly spend: SpendStore;
  private readonly arms: ArmStore;
  private readonly users: UserStore;
  private readonly examples: ExampleStore;
  /** Whether this instance's identity rows (remember) are committed: skipped per commit. */
  private remembered = false;
  /**
   * The meta rows read or written by this instance (null: no row). Each commit reads
   * several (destroyed_at, first_seen, last_seen); only this object writes them.
   */
  private readonly metaKept = new Map<string, string | null>();
  /**
   * When the alarm is set (null: not set; undefined: not known, read it). Only this
   * instance sets it; every commit asks, so it is read once, not per commit.
   */
  private alarmAt: number | null | undefined = undefined;

  /** Call inside the object's blockConcurrencyWhile: it creates the schema. */
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {
    this.sql = ctx.storage.sql;
    this.ledger = new EventLedger(this.sql);
    this.outbox = new ArchiveOutbox(ctx.storage);
    this.releases = new ReleaseStore(this.sql);
    this.buckets = new BucketStore(this.sql, () => this.deploymentId());
    this.segments = new SegmentStore(this.sql);
    this.spend = new SpendStore(this.sql);
    this.arms = new ArmStore(this.sql);
    this.users = new UserStore(this.sql);
    this.examples = new ExampleStore(this.sql);
    this.createSchema();
  }

  private createSchema(): void {
    this.metaKept.clear();
    this.buckets.createSchema();
    this.segments.createSchema();
    this.users.createSchema();
    this.examples.createSchema();
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS applied_tokens (token TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
    this.ledger.createSchema();
    this.outbox.createSchema();
    // Objects from before windows were counted later counted every outbox row already.
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS window_fold (id INTEGER PRIMARY KEY CHECK (id = 0), seq INTEGER NOT NULL);
       INSERT OR IGNORE INTO window_fold (id, seq) VALUES (0, ?);`,
      this.outbox.lastSeq(),
    );
    this.releases.createSchema();
    this.spend.createSchema();
    this.arms.createSchema();
  }

  /**
   * Deletes everything this object stores (deployment or project deletion): windows,
   * ledger, archive outbox, release totals. The empty tables are re-created: this
   * instance may live on and serve a new deployment of the same name. Only the time of
   * the deletion stays, so a batch still in flight with events received before it is
   * dropped rather than re-creating what was deleted. NOTE: deleteAll() leaves the
   * alarm, so it is deleted first.
   */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    this.alarmAt = null;
    await this.ctx.storage.deleteAll();
    this.remembered = false;
    this.createSchema();
    this.setMeta("destroyed_at", String(Date.now()));
  }

  /**
   * Accepts a batch of the deployment's events, exactly once: in one transaction, drops
   * the ids the ledger already holds, records the rest, counts them into the windows and
   * release totals, and queues them for the archive. See ledger/ledger.ts and
   * archive-outbox.ts.
   */
  async ingest(req: IngestRequest): Promise<IngestResult> {
    const now = Date.now();
    const result = this.transaction(() => this.accept(req, now));
    this.remembered = true;
    await this.scheduleAlarm(now, result.accepted > 0);
    return result;
  }

  /** A small request of the Worker's (src/queue/deliver.ts): committed with others (intake.ts). */
  async intakeDirect(req: IntakeRequest): Promise<void> {
    return this.intake.submit(req);
  }

  private async commitDirect(req: IngestRequest): Promise<IngestResult> {
    const result = await this.ingest(req);
    // Durable before the group's answers (the output gate would hold them anyway): what
    // arrives meanwhile waits for the next commit (intake.ts).
    await this.ctx.storage.sync();
    const now = Date.now();
    if (!req.monitor.synthetic && this.markers.committed(result, now)) {
      await this.scheduleAlarm(now, true);
    }
    return result;
  }

  private async recordMarkers(): Promise<void> {
    const target = this.target();
    const deploymentId = this.deploymentId();
    if (!target || !deploymentId) return;
    const first = this.meta("first_seen");
    const last = this.meta("last_seen");
    const seen = first && last ? { first: Number(first), last: Number(last) } : null;
    await this.markers.record(this.env.DB, { ...target, deploymentId }, seen, () =>
      this.releases.all(),
    );
  }

  /**
   * Moves events stored the old way (the D1 events table) into this object: ledger,
   * archive outbox, release totals, first and last seen, like ingest. Their windows
   * already hold those whose claim was closed (`claims[i]` null) and those whose claim
   * token this object applied; only the others are counted now. See src/queue/legacy-drain.ts.
   */
  async drainLegacy(req: LegacyDrainRequest): Promise<IngestResult> {
    const now = Date.now();
    const tokens = [...new Set(req.claims.filter((c): c is number => c !== null))].map(String);
    const applied = new Set(
      tokens.filter(
        (t) =>
          this.sql.exec("SELECT 1 FROM applied_tokens WHERE token = ?", t).toArray().length > 0,
      ),
    );
    const uncounted = new Set(
      req.events.filter((_, i) => {
        const claim = req.claims[i];
        return claim !== null && claim !== undefined && !applied.has(String(claim));
      }),
    );
    const result = this.transaction(() => {
      this.foldPending(now);
      const accepted = this.accept(req, now, (e) => uncounted.has(e));
      this.setFolded(this.outbox.lastSeq());
      return accepted;
    });
    await this.scheduleAlarm(now, result.accepted > 0);
    return result;
  }

  /**
   * Records `events` exactly once. Their windows are counted later by `fold`, except with
   * `counts` (the legacy drain, which counts only some): then at once, and the caller
   * marks the outbox folded.
   */
  private accept(
    { monitor, events, examples }: IngestRequest,
    now: number,
    counts?: (e: ArchivedEvent) => boolean,
  ): IngestResult {
    if (!this.remembered) this.remember(monitor);
    const destroyedAt = Number(this.meta("destroyed_at") ?? Number.NEGATIVE_INFINITY);
    const live = events.filter((e) => e.received_at > destroyedAt);
    // One entry per distinct id, the first copy in the call.
    const byFingerprint = new Map<string, ArchivedEvent>();
    for (const e of live) {
      const fingerprint = idFingerprint(e.id);
      if (!byFingerprint.has(fingerprint)) byFingerprint.set(fingerprint, e);
    }
    const entries: LedgerEntry[] = [];
    const candidates: ArchivedEvent[] = [];
    for (const [fingerprint, e] of byFingerprint) {
      entries.push({ fingerprint, since: earliestOriginal(e, e.received_at) });
      candidates.push(e);
    }
    const recorded = this.ledger.recorded(entries);
    const fresh = candidates.filter((_, i) => !recorded.has(i));
    // Probe runs neither mark releases nor count as the deployment's activity.
    if (!monitor.synthetic) this.releases.add(releaseCombos(fresh).values());
    if (counts) {
      this.countWindows(fresh.filter(counts), now, monitor.synthetic);
      if (!monitor.synthetic) this.spend.add(fresh, now);
    }
    // Only while the project opted in (example-store.ts); probe runs are never examples.
    // A request that does not say (the legacy drain) neither keeps nor deletes any.
    if (examples === false) this.examples.clear();
    else if (examples === true && !monitor.synthetic)
      this.examples.mergeHours(exampleHours(counts ? fresh.filter(counts) : fresh), now);
    faultPoint("monitor.ingest", monitorIdOf(monitor));
    this.ledger.record(
      entries.filter((_, i) => !recorded.has(i)).map((e) => e.fingerprint),
      now,
    );
    this.outbox.append(fresh, now);
    const seen = monitor.synthetic ? null : this.updateSeen(fresh);
    return {
      accepted: fresh.length,
      duplicates: live.length - fresh.length,
      dropped: events.length - live.length,
      seen,
      releases: monitor.synthetic ? [] : this.releases.totals(releaseCombos(live).keys()),
    };
  }

  /**
   * Counts accepted events into the windows: minute and hour buckets, segments, users, and
   * (not for probe runs) release arms.
   */
  private countWindows(events: readonly ArchivedEvent[], now: number, synthetic: boolean): void {
    this.buckets.mergeMinutes(minuteBuckets(events), now);
    this.segments.mergeMinutes(segmentMinutes(events), now, momentMinutes(events));
    this.users.mergeMinutes(userMinutes(events), now);
    if (!synthetic) this.arms.add(events, now);
  }

  /** Counts the outbox's events past the window_fold mark into the windows (see the top of the file). */
  private fold(now = Date.now()): void {
    this.transaction(() => this.foldPending(now));
  }

  /** fold's work, inside the caller's transaction. */
  private foldPending(now: number): void {
    const folded =
      this.sql.exec<{ seq: number }>("SELECT seq FROM window_fold WHERE id = 0").toArray()[0]
        ?.seq ?? 0;
    const { events, last } = this.outbox.since(folded);
    if (last === folded) return;
    const synthetic = this.target()?.synthetic ?? false;
    this.countWindows(events, now, synthetic);
    if (!synthetic) this.spend.add(events, now);
    this.setFolded(last);
  }

  private setFolded(seq: number): void {
    this.sql.exec("UPDATE window_fold SET seq = ? WHERE id = 0", seq);
  }

  /** The deployment's first and last accepted ts, moved by `fresh`. */
  private updateSeen(fresh: readonly ArchivedEvent[]): { first: number; last: number } | null {
    let first = Number(this.meta("first_seen") ?? Number.POSITIVE_INFINITY);
    let last = Number(this.meta("last_seen") ?? Number.NEGATIVE_INFINITY);
    for (const e of fresh) {
      if (e.ts < first) first = e.ts;
      if (e.ts > last) last = e.ts;
    }
    if (!Number.isFinite(first)) return null;
    // Only what moved: each row written is billed.
    if (String(first) !== this.meta("first_seen")) this.setMeta("first_seen", String(first));
    if (String(last) !== this.meta("last_seen")) this.setMeta("last_seen", String(last));
    return { first, last };
  }

  /** Merges a pre-aggregated batch (seeded history, legacy claims) at most once per token. */
  async apply(req: ApplyRequest): Promise<{ applied: boolean }> {
    const seen = this.sql.exec("SELECT 1 FROM applied_tokens WHERE token = ?", req.token).toArray();
    if (seen.length > 0) return { applied: false };
    const now = Date.now();
    this.transaction(() => {
      this.sql.exec(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('deployment_id', ?)",
        req.deploymentId,
      );
      this.metaKept.delete("deployment_id");
      const minutes = new Map<number, Bucket>();
      for (const { start, data } of req.buckets) {
        const bucket = decodeBucket(data);
        faultPoint("monitor.apply", req.deploymentId);
        minutes.set(start, mergeBuckets(minutes.get(start) ?? emptyBucket(), bucket));
      }
      this.buckets.mergeMinutes(minutes, now);
      this.sql.exec("INSERT INTO applied_tokens (token, at) VALUES (?, ?)", req.token, now);
    });
    await this.scheduleAlarm(now, true);
    return { applied: true };
  }

  /** Writes every accepted event still waiting to R2 now (before an export lists it). */
  async flushArchive(): Promise<{ objects: number }> {
    const target = this.target();
    if (!target) return { objects: 0 };
    const now = Date.now();
    const fold = () => this.fold(now);
    return { objects: await this.outbox.flush(this.env.ARCHIVE, target, now, true, fold) };
  }

  /** Counts for tests and the storage figures: ids held by the ledger, events waiting. */
  async stats(): Promise<{
    ledgerIds: number;
    outboxBytes: number;
    releases: ReleaseTotal[];
    intake: IntakeCounts;
  }> {
    return {
      ledgerIds: this.ledger.size(),
      outboxBytes: this.outbox.pending().bytes,
      releases: this.releases.all(),
      intake: this.intake.counters(),
    };
  }

  /** Merges the buckets covering [from, to) into one window summary. */
  async snapshot(range: { from: number; to: number }): Promise<WindowSnapshot> {
    this.fold();
    const { bucket, ...window } = this.buckets.merge(range);
    return { deploymentId: this.deploymentId(), ...window, summary: summarizeBucket(bucket) };
  }

  /**
   * Merged buckets (encoded) for several ranges at once: what drift evaluation needs
   * (the evaluation window, the baseline, the same hour last week) in one RPC.
   */
  async windows(ranges: WindowRequest[]): Promise<EncodedWindow[]> {
    this.fold();
    return ranges.map((range) => {
      const { bucket, ...window } = this.buckets.merge(range);
      const seg = this.segments.merge(range, window.resolution);
      const segments = encodeSegments(seg.counts);
      const moments = encodeMoments(seg.moments);
      const users = this.users.merge(range, window.resolution);
      return {
        ...window,
        data: encodeBucket(bucket),
        segments,
        ...(moments ? { moments } : {}),
        ...(users ? { users: encodeUsers(users) } : {}),
      };
    });
  }

  /** Up to 10 example events of an outcome in [from, to) within a segment ("" for all). */
  async exampleEvents(
    range: { from: number; to: number },
    outcome: ExampleOutcome,
    dimension: string,
    value: string,
  ): Promise<ExampleEvent[]> {
    return this.examples.examples(range, outcome, dimension, value);
  }

  /** Segment counts (encodeSegments()) or moments (encodeMoments()) per range: the dashboard's breakdowns. */
  async segmentWindows(
    ranges: (WindowRequest & { resolution: Resolution })[],
    what: "counts" | "moments" = "counts",
  ): Promise<string[]> {
    this.fold();
    return ranges.map((range) => {
      const merged = this.segments.merge(range, range.resolution);
      return what === "moments" ? encodeMoments(merged.moments) : encodeSegments(merged.counts);
    });
  }

  /** The top spenders of a dimension over [from, to) (spend-store.ts). */
  topSpenders(dimension: string, from: number, to: number): TopSpenders | null {
    this.fold();
    return this.spend.top(dimension, from, to);
  }

  /** Each release arm with its minutes in [from, to) (arm-store.ts), for release verdicts. */
  async armWindows(range: { from: number; to: number }): Promise<ArmWindow[]> {
    this.fold();
    return this.arms.windows(range);
  }

  /** The sequential detector's state (JSON, src/alerts/evaluation/sequential.ts); null before the first. */
  async sequentialState(): Promise<string | null> {
    return this.meta("sequential");
  }

  async saveSequentialState(state: string): Promise<void> {
    this.setMeta("sequential", state);
  }

  /** Bytes used by this object's SQLite storage (for the storage bound). */
  async storageBytes(): Promise<number> {
    return this.ctx.storage.sql.databaseSize;
  }

  private meta(key: string): string | null {
    const kept = this.metaKept.get(key);
    if (kept !== undefined) return kept;
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)
      .toArray()[0];
    const value = row?.value ?? null;
    this.metaKept.set(key, value);
    return value;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
    this.metaKept.set(key, value);
  }

  private deploymentId(): string | null {
    return this.meta("deployment_id");
  }

  /** Keeps what the alarm needs to name archive objects and rollups. */
  private remember(monitor: MonitorRef): void {
    this.metaKept.delete("deployment_id");
    this.metaKept.delete("archive_target");
    this.sql.exec(
      "INSERT OR IGNORE INTO meta (key, value) VALUES ('deployment_id', ?)",
      monitorIdOf(monitor),
    );
    const { projectId, environment, slug, synthetic } = monitor;
    this.sql.exec(
      "INSERT OR IGNORE INTO meta (key, value) VALUES ('archive_target', ?)",
      JSON.stringify({ projectId, environment, slug, synthetic }),
    );
  }

  private target(): ArchiveTarget | null {
    const json = this.meta("archive_target");
    return json ? (JSON.parse(json) as ArchiveTarget) : null;
  }

  /**
   * Runs `work` in one storage transaction. If it rolls back, what the ledger, the outbox,
   * the release totals and the meta rows keep in memory may hold its writes: they are
   * read again.
   */
  private transaction<T>(work: () => T): T {
    try {
      return this.ctx.storage.transactionSync(work);
    } catch (err) {
      this.ledger.reload();
      this.outbox.reload();
      this.releases.reload();
      this.metaKept.clear();
      throw err;
    }
  }

  /**
   * Makes sure the alarm fires by the time the next flush is due, and not before
   * `notBefore` (after a failed step: a retry every FLUSH_DELAY_MS, not a tight loop).
   */
  private async scheduleAlarm(now: number, changed: boolean, notBefore = now): Promise<void> {
    const due = Math.max(
      notBefore,
      Math.min(
        changed ? now + FLUSH_DELAY_MS : Number.POSITIVE_INFINITY,
        this.outbox.dueAt() ?? Number.POSITIVE_INFINITY,
        this.ledger.nextExpiry() ?? Number.POSITIVE_INFINITY,
        this.markers.dueAt() ?? Number.POSITIVE_INFINITY,
      ),
    );
    if (!Number.isFinite(due)) return;
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt > due) {
      await this.ctx.storage.setAlarm(due);
      this.alarmAt = due;
    }
  }

  /**
   * Flushes changed buckets to D1 rollups, writes due archive objects to R2, drops
   * expired buckets, tokens and ledger partitions, and sets the next alarm. A failing
   * step is logged and retried by the next alarm; it never stops the others.
   */
  async alarm(): Promise<void> {
    // The alarm that called this is spent: read what is set when next needed.
    this.alarmAt = undefined;
    const now = Date.now();
    let failed = false;
    const step = async (what: string, run: () => Promise<unknown> | unknown) => {
      try {
        await run();
      } catch (err) {
        failed = true;
        console.error(`DeploymentMonitor ${this.deploymentId()}: ${what} failed`, err);
      }
    };
    await step("counting the windows", () => this.fold(now));
    await step("flushing rollups", () => this.flushRollups(now));
    await step("recording the deployment", () => this.recordMarkers());
    const target = this.target();
    // The outbox's rows are deleted once archived: the fold counts them first, right
    // before each chunk is assigned (commits may land during the awaits above).
    const fold = () => this.fold(now);
    if (target)
      await step("writing the archive", () =>
        this.outbox.flush(this.env.ARCHIVE, target, now, false, fold),
      );
    await step("merging the ledger", () => this.mergeLedger(now));
    await step("expiring", () => this.expire(now));
    await step("packing past days' hours", () => this.transaction(() => this.buckets.pack(now)));
    const dirty = this.buckets.hasDirty();
    await this.scheduleAlarm(now, dirty || failed, failed ? now + FLUSH_DELAY_MS : now);
  }

  private async flushRollups(now: number): Promise<void> {
    const deploymentId = this.deploymentId();
    if (!deploymentId) return;
    const dirty = this.buckets.dirty();
    await flushRollups(this.env.DB, deploymentId, dirty, now);
    this.buckets.markClean(dirty);
  }

  /** Moves the ledger's recent ids into their partitions when due (ledger/ledger.ts). */
  private mergeLedger(now: number): void {
    if ((this.ledger.mergeDueAt() ?? Number.POSITIVE_INFINITY) > now) return;
    this.transaction(() => this.ledger.merge());
  }

  private expire(now: number): void {
    this.buckets.expire(now);
    this.segments.expire(now);
    this.users.expire(now);
    this.examples.expire(now);
    this.sql.exec("DELETE FROM applied_tokens WHERE at < ?", now - TOKEN_RETENTION_MS);
    this.ledger.expire(now);
    this.arms.expire(now);
  }
}
