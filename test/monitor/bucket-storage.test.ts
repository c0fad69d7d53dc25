// Stored buckets are deflated with a preset dictionary; rows stored before it still decode.
import { deflateSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { packBucket, unpackBucket } from "../../src/monitor/bucket-storage";
import { addEvent, emptyBucket, encodeBucket } from "../../src/window/bucket";
import { typicalTraffic } from "../sample-events";

const hour = () => {
  const b = emptyBucket();
  for (const e of typicalTraffic(1191, 99)) addEvent(b, e);
  return b;
};

describe("Stored buckets", () => {
  it("round-trip through the dictionary, at least 10 % smaller than deflate alone", () => {
    const bucket = hour();
    const packed = packBucket(bucket);
    const plain = deflateSync(strToU8(encodeBucket(bucket)), { level: 9 });
    expect(encodeBucket(unpackBucket(packed))).toBe(encodeBucket(bucket));
    expect(packed.length).toBeLessThan(plain.length * 0.9);
  });

  it("decodes a row stored before the dictionary (deflated without one)", () => {
    const bucket = hour();
    const old = deflateSync(strToU8(encodeBucket(bucket)), { level: 9 });
    expect(encodeBucket(unpackBucket(old))).toBe(encodeBucket(bucket));
  });
});
