// A day's 1-hour buckets in one stored row: the text format round-trips and refuses what
// it cannot hold or read back.
import { describe, expect, it } from "vitest";
import { packText } from "../../src/monitor/bucket-storage";
import { packHours, unpackHours } from "../../src/monitor/hour-pack";
import { addEvent, emptyBucket, encodeBucket } from "../../src/window/bucket";
import { typicalTraffic } from "../sample-events";

const HOUR = 3_600_000;
const DAY0 = Date.parse("2036-01-07T00:00:00Z");
const hourText = (seed: number) => {
  const b = emptyBucket();
  for (const e of typicalTraffic(1191, seed)) addEvent(b, e);
  return encodeBucket(b);
};

describe("Hour packs", () => {
  it("give back every hour's encoded bucket exactly, whatever order they were given in", () => {
    const hours = new Map([
      [DAY0 + 5 * HOUR, hourText(5)],
      [DAY0, hourText(0)],
      [DAY0 + 23 * HOUR, '[1,[],["","","","",""],{},[{},{},{},{},{}],{"k":{"a\\nb":1}}]'],
    ]);
    const back = unpackHours(packHours(hours));
    expect([...back.keys()]).toEqual([DAY0, DAY0 + 5 * HOUR, DAY0 + 23 * HOUR]);
    for (const [start, text] of hours) expect(back.get(start)).toBe(text);
  });

  it("hold a day of typical hours in fewer bytes than its 24 rows apart", () => {
    const hours = new Map(Array.from({ length: 24 }, (_, h) => [DAY0 + h * HOUR, hourText(h)]));
    const apart = [...hours.values()].reduce((sum, text) => sum + packText(text).length, 0);
    expect(packHours(hours).length).toBeLessThan(apart);
  });

  it("read an empty pack as no hours", () => {
    expect(unpackHours(packHours(new Map())).size).toBe(0);
  });

  it("refuse an hour whose text holds a raw line break, and a start that is not an integer", () => {
    expect(() => packHours(new Map([[DAY0, "[1,\n2]"]]))).toThrow(RangeError);
    expect(() => packHours(new Map([[1.5, "[1]"]]))).toThrow(RangeError);
  });

  it("reject a row that is not lines of a start and a bucket, or names an hour twice", () => {
    expect(() => unpackHours(packText("no-start-here"))).toThrow(SyntaxError);
    expect(() => unpackHours(packText(`${DAY0} [1]\n${DAY0} [1]`))).toThrow(SyntaxError);
    expect(() => unpackHours(new Uint8Array([1, 2, 3]))).toThrow();
  });
});
