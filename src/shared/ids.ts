// Id generation, two kinds with two names: a record id names a row we create (a key, a
// project, an incident...), an event id names one telemetry event sent without an id.
import { uuid7 } from "../../packages/sdk/src/uuid7";

/** Bytes as unpadded base64url. */
export function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** `<prefix>_` + 12 random bytes in base64url, e.g. `inc_…` for an incident row. */
export function newRecordId(prefix: string): string {
  return `${prefix}_${base64Url(crypto.getRandomValues(new Uint8Array(12)))}`;
}

/**
 * A time-ordered event id (UUIDv7, stores fastest, see packages/sdk/src/uuid7.ts). The SDK makes
 * the same ids on the client with its own copy of uuid7, so it stays self-contained.
 */
export const newEventId = (): string => uuid7();
