// The DeploymentMonitor's ledger of event ids (src/monitor/ledger/): fingerprints match
// the reference MurmurHash3, copies are found within the horizon and forgotten after it,
// and the bytes it takes per id are measured (the figure in ledger.ts).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { idFingerprint, murmur3 } from "../../src/monitor/ledger/id-hash";
import {
  EventLedger,
  earliestOriginal,
  KEEP_MS,
  type LedgerEntry,
  PARTITION_MS,
} from "../../src/monitor/ledger/ledger";

const utf8 = (s: string) => new TextEncoder().encode(s);
const entry = (id: string, since = 0): LedgerEntry => ({ fingerprint: idFingerprint(id), since });

/** A fresh ledger in its own object's storage. */
function withLedger<T>(name: string, run: (ledger: EventLedger, sql: SqlStorage) => T) {
  return runInDurableObject(env.DEPLOYMENT_MONITOR.getByName(`ledger-test:${name}`), (_, state) => {
    const ledger = new EventLedger(state.storage.sql);
    ledger.createSchema();
    return run(ledger, state.storage.sql);
  });
}

describe("id fingerprints", () => {
  it("are MurmurHash3_x86_32 of the UTF-8 bytes (reference values from the C implementation)", () => {
    const cases: [string, number, number][] = [
      ["", 0, 3954623016],
      ["a", 1009084850, 2141232806],
      ["ab", 2613040991, 1955026322],
      ["abc", 3017643002, 3360318173],
      ["abcd", 1139631978, 4031219239],
      ["evt_0123456789", 2608194602, 3396056151],
      ["héllo wörld ✓", 238508760, 3919216284],
    ];
    for (const [s, seed0, seed1] of cases) {
      const bytes = utf8(s);
      expect(murmur3(bytes, bytes.length, 0), s).toBe(seed0);
      expect(murmur3(bytes, bytes.length, 0x9747b28c), s).toBe(seed1);
      expect(idFingerprint(s)).toBe(
        seed0.toString(16).padStart(8, "0") + seed1.toString(16).padStart(8, "0"),
      );
    }
  });

  it("differ for 200,000 distinct ids", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(idFingerprint(`evt-${i}`));
    expect(seen.size).toBe(200_000);
  });
});

describe("the ledger", () => {
  it("finds recorded ids, including in older partitions, and only those", async () => {
    await withLedger("find", (ledger) => {
      const t0 = 1_000 * PARTITION_MS;
      ledger.record(
        ["a", "b"].map((id) => entry(id).fingerprint),
        t0,
      );
      ledger.record([entry("c").fingerprint], t0 + 3 * PARTITION_MS);
      const found = ledger.recorded([entry("a"), entry("x"), entry("c"), entry("b")]);
      expect([...found].sort()).toEqual([0, 2, 3]);
    });
  });

  it("looks a copy up only where its original can be: partitions ending after since", async () => {
    await withLedger("since", (ledger) => {
      const t0 = 2_000 * PARTITION_MS;
      ledger.record([entry("old").fingerprint], t0);
      // An original recorded before the copy's ts − 5 min cannot be its original.
      expect(ledger.recorded([entry("old", t0 + PARTITION_MS)]).size).toBe(0);
      expect(ledger.recorded([entry("old", t0 + 1)]).size).toBe(1);
    });
  });

  it("forgets a partition once all of it is older than the horizon", async () => {
    await withLedger("expire", (ledger) => {
      const t0 = 3_000 * PARTITION_MS;
      ledger.record([entry("kept").fingerprint], t0);
      const end = t0 + PARTITION_MS;
      expect(ledger.nextExpiry()).toBe(end + KEEP_MS);
      expect(ledger.expire(end + KEEP_MS - 1)).toBe(0);
      expect(ledger.recorded([entry("kept")]).size).toBe(1);
      expect(ledger.expire(end + KEEP_MS)).toBe(1);
      expect(ledger.recorded([entry("kept")]).size).toBe(0);
      expect(ledger.nextExpiry()).toBeNull();
    });
  });

  it("checks feedback and server-stamped events against the whole horizon", () => {
    const at = 10_000_000;
    expect(earliestOriginal({ type: "feedback", ts: at - 1000 }, at)).toBe(0);
    expect(earliestOriginal({ type: "interaction", ts: at }, at)).toBe(0);
    expect(earliestOriginal({ type: "interaction", ts: at - 1000 }, at)).toBe(at - 1000 - 300_000);
  });

  it("takes about 14 bytes per id (measured with databaseSize)", async () => {
    const bytesPerId = await withLedger("size", (ledger, sql) => {
      const n = 200_000;
      const before = sql.databaseSize;
      for (let i = 0; i < n; i += 2_000) {
        const batch = Array.from({ length: 2_000 }, (_, j) => idFingerprint(`size-${i + j}`));
        ledger.record(batch, 4_000 * PARTITION_MS);
      }
      expect(ledger.size()).toBe(n);
      return (sql.databaseSize - before) / n;
    });
    console.log(`ledger: ${bytesPerId.toFixed(2)} bytes per id`);
    expect(bytesPerId).toBeLessThan(16);
  }, 60_000);
});
