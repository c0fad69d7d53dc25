// `column IN (list)` for lists of any length. drizzle's inArray binds one SQL variable per
// value, and D1 allows 100 per statement, so a project's deployment ids failed with "too many
// SQL variables" from 98 on. Here the list is ONE bound parameter, a JSON array read back by
// json_each: the statement's variable count no longer grows with the list.
import { type Column, type SQL, sql } from "drizzle-orm";

/** `column IN (values)` with the values bound as one JSON array (empty: matches nothing). */
export function inList(column: Column, values: readonly (string | number)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
