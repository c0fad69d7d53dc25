// Which release arm served an interaction, for the feedback and eval events that arrive
// later and name it by `ref` (arm-store.ts counts them into that arm, at their own minute).
//
// Kept while arms are live, for REF_HORIZON_MS after the interaction was accepted (a user's
// thumb or a judge's score comes seconds to minutes after the answer): one row
// per accepting call and arm (the call's interaction ids as 32-bit hashes, 8 hex digits
// each), never a row per id, since storage is billed per row written; read once into a
// map when a late event first needs it, then kept in step. Size: 8 bytes per interaction,
// ~80 KB at 1,000 interactions/min. Two ids share a hash with probability ~n / 2^32
// (2e-6 at 10,000 ids): a thumb counted in the other id's arm, no worse. A late event
// whose interaction is older, unknown, or was accepted while a single release served is
// counted in the deployment's windows only, as before.
import { MINUTE_MS } from "../shared/time";

export const REF_HORIZON_MS = 10 * MINUTE_MS;
const HASH_CHARS = 8;

/** FNV-1a, 32 bits, as 8 hex digits. */
export function refHash(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(HASH_CHARS, "0");
}

interface Ref {
  slot: number;
  at: number;
}

export class ArmRefs {
  /** hash → arm, loaded on first lookup; null until then. */
  private cache: Map<string, Ref> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS arm_refs (
        seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, slot INTEGER NOT NULL, ids TEXT NOT NULL);`);
  }

  /** Records that `slot` served the interactions `ids`, accepted at `now`. */
  record(slot: number, ids: readonly string[], now: number): void {
    if (ids.length === 0) return;
    const hashes = ids.map(refHash);
    this.sql.exec(
      "INSERT INTO arm_refs (at, slot, ids) VALUES (?, ?, ?)",
      now,
      slot,
      hashes.join(""),
    );
    for (const h of hashes) this.cache?.set(h, { slot, at: now });
  }

  /** The arm that served the interaction `ref` within the horizon, if recorded. */
  slotOf(ref: string, now: number): number | undefined {
    const hit = this.load(now).get(refHash(ref));
    return hit && hit.at >= now - REF_HORIZON_MS ? hit.slot : undefined;
  }

  private load(now: number): Map<string, Ref> {
    if (this.cache) return this.cache;
    const cache = new Map<string, Ref>();
    const rows = this.sql.exec<{ at: number; slot: number; ids: string }>(
      "SELECT at, slot, ids FROM arm_refs WHERE at >= ? ORDER BY seq",
      now - REF_HORIZON_MS,
    );
    for (const r of rows) {
      for (let i = 0; i < r.ids.length; i += HASH_CHARS) {
        cache.set(r.ids.slice(i, i + HASH_CHARS), { slot: r.slot, at: r.at });
      }
    }
    this.cache = cache;
    return cache;
  }

  /** Forgets refs past the horizon (the alarm), and whatever pointed at a freed slot. */
  expire(now: number): void {
    this.sql.exec("DELETE FROM arm_refs WHERE at < ?", now - REF_HORIZON_MS);
    this.cache = null;
  }

  /** A slot given to another release: its refs name the old one. */
  forgetSlot(slot: number): void {
    this.sql.exec("DELETE FROM arm_refs WHERE slot = ?", slot);
    this.cache = null;
  }
}
