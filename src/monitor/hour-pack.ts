// Several 1-hour buckets in one stored row: a day's encoded buckets, one line each
// ("<start> <encodeBucket text>"; JSON never holds a raw newline), deflated together with
// the buckets' dictionary (bucket-storage.ts). Rows of ~820 bytes left a fifth of every
// 4 KiB storage page empty (4 fit where 5 did before buckets kept cost per model); a day
// row fills its overflow pages, and the hours deflate ~8 % smaller together than apart.
import { packText, unpackText } from "./bucket-storage";

/** Encoded buckets (encodeBucket text) by hour start. */
export type HourTexts = Map<number, string>;

export function packHours(hours: ReadonlyMap<number, string>): Uint8Array {
  const lines = [...hours]
    .sort(([a], [b]) => a - b)
    .map(([start, text]) => {
      if (!Number.isSafeInteger(start) || text.includes("\n")) {
        throw new RangeError(`hour pack: cannot hold the hour at ${start}`);
      }
      return `${start} ${text}`;
    });
  return packText(lines.join("\n"));
}

export function unpackHours(blob: ArrayBuffer | Uint8Array): HourTexts {
  const hours: HourTexts = new Map();
  const text = unpackText(blob);
  if (text === "") return hours;
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    const start = Number(line.slice(0, space));
    if (space < 1 || !Number.isSafeInteger(start) || hours.has(start)) {
      throw new SyntaxError("hour pack: malformed line");
    }
    hours.set(start, line.slice(space + 1));
  }
  return hours;
}
