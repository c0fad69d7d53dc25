// Bytes per table and index of the local stores wrangler dev persisted (D1 and the
// Durable Objects are SQLite files), read with SQLite's dbstat table.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

/** Every *.sqlite file under `dir`, recursively. */
export function sqliteFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sqliteFiles(path));
    else if (name.endsWith(".sqlite")) out.push(path);
  }
  return out;
}

/** Bytes of the files under `dir` (recursively) that `keep` accepts; 0 when it is absent. */
export function fileBytesUnder(dir, keep = () => true) {
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    if (s.isDirectory()) bytes += fileBytesUnder(path, keep);
    else if (keep(path)) bytes += s.size;
  }
  return bytes;
}

/** {tables: {name: {bytes, indexes: {name: bytes}, rows}}, fileBytes} of one SQLite file. */
export function sizesOf(path) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const pages = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name").all();
    const bytes = new Map(pages.map((p) => [p.name, Number(p.bytes)]));
    const schema = db
      .prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
      .all();
    const tables = {};
    for (const s of schema.filter((s) => s.type === "table")) {
      if (s.name.startsWith("sqlite_") || s.name.startsWith("_cf_")) continue;
      const rows = Number(db.prepare(`SELECT count(*) AS n FROM "${s.name}"`).get().n);
      tables[s.name] = { bytes: bytes.get(s.name) ?? 0, indexes: {}, rows };
    }
    for (const s of schema.filter((s) => s.type === "index")) {
      const t = tables[s.tbl_name];
      if (t) t.indexes[s.name] = bytes.get(s.name) ?? 0;
    }
    const fileBytes = [...bytes.values()].reduce((a, b) => a + b, 0);
    return { tables, fileBytes };
  } finally {
    db.close();
  }
}

/** Runs one read-only query against a SQLite file. */
export function query(path, sql) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

export const totalBytes = (t) => t.bytes + Object.values(t.indexes).reduce((a, b) => a + b, 0);
