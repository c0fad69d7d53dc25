// Per-release arms: while two or more release combinations (model, provider, prompt
// version, release) serve the deployment, each keeps its own 1-minute buckets, fed from
// the same accepted events in the same transaction, for release verdicts (src/verdicts/).
//
// Bounded: at most MAX_LIVE_ARMS arms hold a slot; a new combination past that takes the
// slot of the least recently seen arm if that one has been idle for ARM_RETENTION_MS (its
// minutes are gone by then), and is otherwise counted in the POOLED slot, which no verdict
// analyses. Minutes are kept ARM_RETENTION_MS, and written only while two arms or more
// were seen within it (one arm alone has nothing to be compared with): a deployment with a
// single release writes one small row per batch here, not a bucket per minute.
// Size: 8 arms × 120 minutes at 1,000 events/min take 496 KiB (test/monitor/arm-store.test.ts);
// at the window figure's ~20 events/min, 316 KiB with refs on top of the windows (arm-memory.test.ts).
import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";
import type { NormalizedEvent } from "../ingest/normalized";
import { MINUTE_MS } from "../shared/time";
import { releaseKey } from "../window/aggregate";
import {
  type ArmBucket,
  addLateEvent,
  armMinutes,
  mergeArmBuckets,
  type ReleaseFields,
  trimmed,
} from "../window/arm-bucket";
import { decodeBucket, encodeBucket } from "../window/bucket";
import { decodeSketch, encodeSketch } from "../window/sketch";
import { ArmRefs } from "./arm-refs";
import { OTHER_COMBO } from "./release-store";

export const MAX_LIVE_ARMS = 8;
export const ARM_RETENTION_MS = 120 * MINUTE_MS;
const POOLED_SLOT = MAX_LIVE_ARMS;
const POOLED_KEY = releaseKey(OTHER_COMBO);

export interface Arm extends ReleaseFields {
  slot: number;
  key: string;
  firstSeen: number;
  lastSeen: number;
  /** Interactions counted in this arm since it took its slot. */
  count: number;
  pooled: boolean;
}

export interface ArmWindow {
  arm: Arm;
  /** The arm's minutes in the range, oldest first, as encoded by packArmBucket. */
  minutes: { minute: number; data: Uint8Array }[];
}

type ArmRow = {
  slot: number;
  key: string;
  model: string;
  provider: string;
  prompt_version: string;
  release: string;
  first_seen: number;
  last_seen: number;
  count: number;
};

const toArm = (r: ArmRow): Arm => ({
  slot: r.slot,
  key: r.key,
  model: r.model,
  provider: r.provider,
  promptVersion: r.prompt_version,
  release: r.release,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  count: r.count,
  pooled: r.slot === POOLED_SLOT,
});

export function packArmBucket(a: ArmBucket): Uint8Array {
  const text = JSON.stringify([encodeBucket(trimmed(a.bucket)), encodeSketch(a.cost)]);
  return deflateSync(strToU8(text), { level: 6 });
}

export function unpackArmBucket(blob: ArrayBuffer | Uint8Array): ArmBucket {
  const bytes = blob instanceof Uint8Array ? blob : new Uint8Array(blob);
  const [bucket, cost] = JSON.parse(strFromU8(inflateSync(bytes))) as [string, string];
  return { bucket: decodeBucket(bucket), cost: decodeSketch(cost) };
}

export class ArmStore {
  private readonly refs: ArmRefs;

  constructor(private readonly sql: SqlStorage) {
    this.refs = new ArmRefs(sql);
  }

  createSchema(): void {
    this.refs.createSchema();
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS arms (
        slot INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, model TEXT NOT NULL,
        provider TEXT NOT NULL, prompt_version TEXT NOT NULL, release TEXT NOT NULL,
        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS arm_minutes (
        slot INTEGER NOT NULL, minute INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (slot, minute));`);
  }

  private rows(): ArmRow[] {
    return this.sql.exec<ArmRow>("SELECT * FROM arms ORDER BY slot").toArray();
  }

  /** The slot of a combination: its own, a free or idle one, or the pooled slot. */
  private slotFor(key: string, rows: ArmRow[], lastSeen: number): number {
    const own = rows.find((r) => r.key === key);
    if (own) return own.slot;
    const live = rows.filter((r) => r.slot !== POOLED_SLOT);
    if (live.length < MAX_LIVE_ARMS) {
      const used = new Set(live.map((r) => r.slot));
      return [...Array(MAX_LIVE_ARMS).keys()].find((s) => !used.has(s)) ?? POOLED_SLOT;
    }
    const idle = live
      .filter((r) => r.last_seen < lastSeen - ARM_RETENTION_MS)
      .sort((a, b) => a.last_seen - b.last_seen)[0];
    if (!idle) return POOLED_SLOT;
    this.sql.exec("DELETE FROM arms WHERE slot = ?", idle.slot);
    this.sql.exec("DELETE FROM arm_minutes WHERE slot = ?", idle.slot);
    this.refs.forgetSlot(idle.slot);
    return idle.slot;
  }

  /**
   * Counts newly accepted events into their arms (inside the accepting transaction):
   * interactions into their release's arm, feedback and eval events into the arm that
   * served the interaction they name (`ref`), at their own minute.
   */
  add(events: readonly NormalizedEvent[], now: number): void {
    const arms = armMinutes(events);
    const late = events.filter((e) => e.type !== "interaction");
    if (arms.size === 0 && late.length === 0) return;
    const slots = new Map<number, Map<number, ArmBucket>>();
    const served = new Map<number, string[]>();
    for (const [key, { combo, minutes, ids }] of arms) {
      const times = [...minutes.keys()];
      const first = Math.min(...times);
      const last = Math.max(...times) + MINUTE_MS - 1;
      const count = [...minutes.values()].reduce((n, b) => n + b.bucket.counters.count, 0);
      const slot = this.slotFor(key, this.rows(), last);
      const pooled = slot === POOLED_SLOT;
      const fields = pooled ? OTHER_COMBO : combo;
      this.sql.exec(
        `INSERT INTO arms (slot, key, model, provider, prompt_version, release, first_seen, last_seen, count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slot) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
           last_seen = max(last_seen, excluded.last_seen), count = count + excluded.count`,
        slot,
        pooled ? POOLED_KEY : key,
        fields.model,
        fields.provider,
        fields.promptVersion,
        fields.release,
        first,
        last,
        count,
      );
      const into = slots.get(slot) ?? new Map<number, ArmBucket>();
      for (const [minute, b] of minutes) {
        const held = into.get(minute);
        into.set(minute, held ? mergeArmBuckets(held, b) : b);
      }
      slots.set(slot, into);
      if (!pooled) served.set(slot, [...(served.get(slot) ?? []), ...ids]);
    }
    if (this.liveArms(now) < 2) return;
    for (const [slot, ids] of served) this.refs.record(slot, ids, now);
    for (const e of late) {
      const slot = this.refs.slotOf(e.ref, now);
      if (slot === undefined) continue;
      const into = slots.get(slot) ?? new Map<number, ArmBucket>();
      addLateEvent(into, e);
      slots.set(slot, into);
    }
    for (const [slot, minutes] of slots) {
      for (const [minute, b] of minutes) {
        if (minute < now - ARM_RETENTION_MS) continue;
        this.mergeMinute(slot, minute, b);
      }
    }
  }

  /** Arms (not the pooled slot) seen within ARM_RETENTION_MS of now. */
  private liveArms(now: number): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM arms WHERE slot != ? AND last_seen >= ?",
        POOLED_SLOT,
        now - ARM_RETENTION_MS,
      )
      .one().n;
  }

  private mergeMinute(slot: number, minute: number, b: ArmBucket): void {
    const row = this.sql
      .exec<{ data: ArrayBuffer }>(
        "SELECT data FROM arm_minutes WHERE slot = ? AND minute = ?",
        slot,
        minute,
      )
      .toArray()[0];
    const merged = row ? mergeArmBuckets(unpackArmBucket(row.data), b) : b;
    this.sql.exec(
      "INSERT OR REPLACE INTO arm_minutes (slot, minute, data) VALUES (?, ?, ?)",
      slot,
      minute,
      packArmBucket(merged),
    );
  }

  arms(): Arm[] {
    return this.rows().map(toArm);
  }

  /** Every arm with its minutes in [from, to). */
  windows(range: { from: number; to: number }): ArmWindow[] {
    return this.rows().map((r) => ({
      arm: toArm(r),
      minutes: this.sql
        .exec<{ minute: number; data: ArrayBuffer }>(
          "SELECT minute, data FROM arm_minutes WHERE slot = ? AND minute >= ? AND minute < ? ORDER BY minute",
          r.slot,
          range.from,
          range.to,
        )
        .toArray()
        .map((m) => ({ minute: m.minute, data: new Uint8Array(m.data) })),
    }));
  }

  /** Drops minutes and interaction refs past their retention (the alarm). */
  expire(now: number): void {
    this.sql.exec("DELETE FROM arm_minutes WHERE minute < ?", now - ARM_RETENTION_MS);
    this.refs.expire(now);
  }
}
