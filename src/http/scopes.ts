// Which scopes a key's granted scopes cover. Scopes nest one way: admin ⊇ read (whoever may
// change a project's rules and channels may read them); ingest stays apart, so a browser-safe
// ingest key reads nothing and an admin or read key sends no events.
import type { KeyScope } from "../db/schema";

const IMPLIED: Record<KeyScope, readonly KeyScope[]> = {
  ingest: ["ingest"],
  read: ["read"],
  admin: ["admin", "read"],
};

/** True when one of the granted scopes is or implies `needed`. */
export function scopeCovers(granted: readonly KeyScope[], needed: KeyScope): boolean {
  return granted.some((scope) => IMPLIED[scope].includes(needed));
}
