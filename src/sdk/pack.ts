// Event ids and request bodies: serialised events grouped under a byte and count limit.

const encoder = new TextEncoder();

/** crypto.randomUUID is missing on insecure (http:) pages, so fall back to Math.random. */
export const newId = (): string =>
  typeof crypto !== "undefined" && crypto.randomUUID
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

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
