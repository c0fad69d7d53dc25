// The audit listing's cursor: opaque to clients, it carries the id of the last entry shown.
// Entries are listed newest first by id (ids only grow), so "older than id" pages without
// duplicates or gaps even while new entries are written.

const PREFIX = "a1.";

export function encodeAuditCursor(lastId: number): string {
  return PREFIX + btoa(String(lastId)).replace(/=+$/, "");
}

/** The id a cursor carries, or null when it is not one of ours. */
export function decodeAuditCursor(cursor: string): number | null {
  if (!cursor.startsWith(PREFIX)) return null;
  let text: string;
  try {
    text = atob(cursor.slice(PREFIX.length));
  } catch {
    return null;
  }
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}
