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
// An arm's minutes are stored ARM_BLOCK_MS (5 minutes) to a row, one deflate with the
// buckets' dictionary over its small buckets of the same layout; rows small enough that 4–5
// share a 4 KiB page at low traffic. At the window figure's ~20 events/min, 8 arms with refs
// take ~152 KiB, within the 1 MiB per deployment with the windows (arm-memory.test.ts).
import { strFromU8, strToU8 } from "fflate";
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
import { packText, unpackText } from "./bucket-storage";
import { OTHER_COMBO } from "./release-store";

export const MAX_LIVE_ARMS = 8;
export const ARM_RETENTION_MS = 120 * MINUTE_MS;
/** The minutes of an arm stored in one row. */
export const ARM_BLOCK_MS = 5 * MINUTE_MS;
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
  /** The arm's minutes in the range, oldest first, as [minute, bucket, cost] JSON (unpackArmBucket). */
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

/**
 * A minute of an arm: its trimmed bucket's encoding (as JSON inside the row's JSON, not a
 * string of it, so it reads as the buckets' dictionary does) and its cost sketch's.
 */
type ArmEntry = [minute: number, bucket: unknown, cost: string];

const entry = (minute: number, a: ArmBucket): ArmEntry => [
  minute,
  JSON.parse(encodeBucket(trimmed(a.bucket))),
  encodeSketch(a.cost),
];

const fromEntry = ([, bucket, cost]: ArmEntry): ArmBucket => ({
  bucket: decodeBucket(JSON.stringify(bucket)),
  cost: decodeSketch(cost),
});

/** A minute of an arm as ArmWindow carries it (uncompressed JSON: its row is deflated). */
export function unpackArmBucket(blob: ArrayBuffer | Uint8Array): ArmBucket {
  const bytes = blob instanceof Uint8Array ? blob : new Uint8Array(blob);
  return fromEntry(JSON.parse(strFromU8(bytes)) as ArmEntry);
}

/** Finished blocks, and those of the current ARM_BLOCK_MS (closeBlocks). */
const BLOCK_TABLES = ["arm_blocks", "arm_open"] as const;
const blockOf = (minute: number) => Math.floor(minute / ARM_BLOCK_MS) * ARM_BLOCK_MS;
/** Rows in time order, a block's arms side by side (the table is small: no other index). */
const blockId = (slot: number, block: number) => (block / ARM_BLOCK_MS) * 16 + slot;

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
      CREATE TABLE IF NOT EXISTS arm_blocks (
        id INTEGER PRIMARY KEY, slot INTEGER NOT NULL, block INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS arm_open (
        id INTEGER PRIMARY KEY, slot INTEGER NOT NULL, block INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS arm_floor (id INTEGER PRIMARY KEY CHECK (id = 0), minute INTEGER NOT NULL);`);
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
    for (const table of BLOCK_TABLES)
      this.sql.exec(`DELETE FROM ${table} WHERE slot = ?`, idle.slot);
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
    this.closeBlocks(now);
    for (const [slot, ids] of served) this.refs.record(slot, ids, now);
    for (const e of late) {
      const slot = this.refs.slotOf(e.ref, now);
      if (slot === undefined) continue;
      const into = slots.get(slot) ?? new Map<number, ArmBucket>();
      addLateEvent(into, e);
      slots.set(slot, into);
    }
    for (const [slot, minutes] of slots) {
      const blocks = new Map<number, Map<number, ArmBucket>>();
      for (const [minute, b] of minutes) {
        if (minute < now - ARM_RETENTION_MS) continue;
        const block = blocks.get(blockOf(minute)) ?? new Map<number, ArmBucket>();
        blocks.set(blockOf(minute), block.set(minute, b));
      }
      for (const [block, delta] of blocks) this.mergeBlock(slot, block, delta, now);
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

  /** The stored minutes of a block row, by minute. */
  private readBlock(data: ArrayBuffer): Map<number, ArmEntry> {
    const entries = JSON.parse(unpackText(data)) as ArmEntry[];
    return new Map(entries.map((e) => [e[0], e]));
  }

  /**
   * Moves the blocks whose time has passed from arm_open to arm_blocks: rows that still grow
   * every minute share a few pages of their own, and arm_blocks gets each finished row
   * once, appended, so its pages stay full.
   */
  private closeBlocks(now: number): void {
    const open = blockOf(now);
    this.sql.exec("INSERT OR REPLACE INTO arm_blocks SELECT * FROM arm_open WHERE block < ?", open);
    this.sql.exec("DELETE FROM arm_open WHERE block < ?", open);
  }

  private mergeBlock(
    slot: number,
    block: number,
    delta: Map<number, ArmBucket>,
    now: number,
  ): void {
    const id = blockId(slot, block);
    const table = block >= blockOf(now) ? "arm_open" : "arm_blocks";
    const row = this.sql
      .exec<{ data: ArrayBuffer }>(`SELECT data FROM ${table} WHERE id = ?`, id)
      .toArray()[0];
    const stored = row ? this.readBlock(row.data) : new Map<number, ArmEntry>();
    for (const [minute, b] of delta) {
      const held = stored.get(minute);
      stored.set(minute, entry(minute, held ? mergeArmBuckets(fromEntry(held), b) : b));
    }
    const entries = [...stored.values()].sort((a, b) => a[0] - b[0]);
    // NOTE: an UPDATE keeps the row in its place; INSERT OR REPLACE would move it to the end
    // of the table each time, leaving half-empty pages behind.
    this.sql.exec(
      row
        ? `UPDATE ${table} SET data = ?4 WHERE id = ?1`
        : `INSERT INTO ${table} (id, slot, block, data) VALUES (?1, ?2, ?3, ?4)`,
      id,
      slot,
      block,
      packText(JSON.stringify(entries)),
    );
  }

  /** Minutes before this one are past their retention (blocks keep some until they end). */
  private floor(): number {
    return (
      this.sql.exec<{ minute: number }>("SELECT minute FROM arm_floor").toArray()[0]?.minute ?? 0
    );
  }

  arms(): Arm[] {
    return this.rows().map(toArm);
  }

  /** Every arm with its minutes in [from, to). */
  windows(range: { from: number; to: number }): ArmWindow[] {
    const from = Math.max(range.from, this.floor());
    return this.rows().map((r) => ({
      arm: toArm(r),
      minutes: this.sql
        .exec<{ data: ArrayBuffer }>(
          `SELECT data FROM (SELECT * FROM arm_blocks UNION ALL SELECT * FROM arm_open)
           WHERE slot = ? AND block > ? AND block < ? ORDER BY block`,
          r.slot,
          from - ARM_BLOCK_MS,
          range.to,
        )
        .toArray()
        .flatMap((b) => [...this.readBlock(b.data).values()])
        .filter(([minute]) => minute >= from && minute < range.to)
        .map(([minute, bucket, cost]) => ({
          minute,
          data: strToU8(JSON.stringify([0, bucket, cost])),
        })),
    }));
  }

  /** Drops minutes and interaction refs past their retention (the alarm). */
  expire(now: number): void {
    const cutoff = now - ARM_RETENTION_MS;
    for (const table of BLOCK_TABLES) {
      this.sql.exec(`DELETE FROM ${table} WHERE block <= ?`, cutoff - ARM_BLOCK_MS);
    }
    this.sql.exec(
      "INSERT INTO arm_floor (id, minute) VALUES (0, ?) ON CONFLICT (id) DO UPDATE SET minute = max(minute, excluded.minute)",
      cutoff,
    );
    this.refs.expire(now);
  }
}
