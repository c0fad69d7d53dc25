// Tests for the bucket's text code: exact round trips, rejection of bad input, size.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBucket, emptyBucket, encodeBucket } from "../../src/window/bucket";
import { bucketOf, eventArb, typicalTraffic } from "../sample-events";

describe("bucket encoding", () => {
  it("round-trips every bucket exactly", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const b = bucketOf(events);
        expect(decodeBucket(encodeBucket(b))).toEqual(b);
      }),
      { numRuns: 80 },
    );
  });

  it("round-trips the empty bucket", () => {
    expect(decodeBucket(encodeBucket(emptyBucket()))).toEqual(emptyBucket());
  });

  it("rejects malformed input", () => {
    for (const bad of ["[]", "[2,[],[],{},[],{}]", '[1,[],["","","","",""],{},[],{}]', "{"]) {
      expect(() => decodeBucket(bad), bad).toThrow(SyntaxError);
    }
  });
});

describe("bucket size", () => {
  it("encodes an hour of 1 000 typical interactions in about 1.2 KB", () => {
    const sizes = [100, 1000, 10_000].map((n) => [
      n,
      encodeBucket(bucketOf(typicalTraffic(n, n))).length,
    ]);
    console.info(`encoded bucket size by interactions: ${JSON.stringify(sizes)}`);
    const [, thousand = Number.POSITIVE_INFINITY] = sizes[1] ?? [];
    expect(thousand).toBeLessThan(1400);
  });
});
