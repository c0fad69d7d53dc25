// Event ids and request bodies: serialised events grouped under a byte and count limit.

import { uuid7 } from "./uuid7";

const encoder = new TextEncoder();

/** A time-ordered event id (UUIDv7; works on insecure pages too, see uuid7.ts). */
export const newEventId = (): string => uuid7();

/** The `{"events":[...]}` body for already serialised events. */
export const body = (parts: string[]): string => `{"events":[${parts.join(",")}]}`;

/**
 * Groups serialised events so each body stays within maxBytes and maxCount.
 * An event larger than maxBytes on its own still gets a group (the server decides).
 */
export const pack = (parts: string[], maxBytes: number, maxCount: number): string[][] => {
  const groups: string[][] = [];
  let group: string[] = [];
  let size = 12; // {"events":[]}
  for (const part of parts) {
    const bytes = encoder.encode(part).length + 1;
    if (group.length && (size + bytes > maxBytes || group.length >= maxCount)) {
      groups.push(group);
      group = [];
      size = 12;
    }
    group.push(part);
    size += bytes;
  }
  if (group.length) groups.push(group);
  return groups;
};
