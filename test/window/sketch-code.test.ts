// Tests for the sketch's text code and the base64 bit stream beneath it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bitReader, bitWriter } from "../../src/window/bit-code";
import { createSketch, decodeSketch, encodeSketch, sketchAdd } from "../../src/window/sketch";
import { anyValue, sketchOf } from "../sample-values";

describe("sketch encoding", () => {
  it("round-trips every sketch exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyValue, fc.integer({ min: 1, max: 1e6 })), { maxLength: 300 }),
        (pairs) => {
          const s = createSketch();
          for (const [v, w] of pairs) sketchAdd(s, v, w);
          expect(decodeSketch(encodeSketch(s))).toEqual(s);
        },
      ),
    );
  });

  it("round-trips values just inside the bin next to 1, whose index rounds to -0", () => {
    const s = sketchOf([0.9801980198019803, -0.9801980198019803]);
    expect(Object.is(s.pos.offset, 0)).toBe(true);
    expect(decodeSketch(encodeSketch(s))).toEqual(s);
  });

  it("round-trips a folded sketch spanning 600 orders of magnitude", () => {
    const s = sketchOf(Array.from({ length: 4000 }, (_, i) => -(10 ** (i * 0.15 - 300))));
    expect(decodeSketch(encodeSketch(s))).toEqual(s);
  });

  it("encodes 1..100 in 69 characters and the empty sketch as an empty string", () => {
    const code = encodeSketch(sketchOf(Array.from({ length: 100 }, (_, i) => i + 1)));
    expect(code.length).toBe(69);
    expect(encodeSketch(createSketch())).toBe("");
    expect(decodeSketch("")).toEqual(createSketch());
  });

  it("rejects malformed codes", () => {
    const valid = encodeSketch(sketchOf([1, 2, 3]));
    const crafted = (sum: number, min: number, max: number, zero: number) => {
      const out = bitWriter();
      for (const x of [sum, min, max]) out.float(x);
      for (const x of [zero, 0, 0]) out.uint(x);
      return out.finish();
    };
    expect(() => decodeSketch(crafted(3, 1, 1, 1))).not.toThrow();
    const bad = [
      "!",
      "1,2,3",
      `${valid}A`,
      valid.slice(0, -2),
      crafted(3, 2, 1, 1),
      crafted(0, 0, 0, 0),
    ];
    for (const code of bad) expect(() => decodeSketch(code), code).toThrow(SyntaxError);
  });

  it("round-trips the awkward doubles exactly, keeping the sign of zero", () => {
    const values = [-0, 0, 0.1, -1e-7, 812.5, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 60];
    values.push(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN);
    const out = bitWriter();
    for (const v of values) out.float(v);
    const input = bitReader(out.finish());
    for (const v of values) expect(Object.is(input.float(), v), String(v)).toBe(true);
    expect(input.done()).toBe(true);
  });

  it("refuses integers outside its ranges with a RangeError instead of writing them wrong", () => {
    const out = bitWriter();
    for (const v of [-1, 1.5, 2 ** 52, Number.NaN])
      expect(() => out.uint(v), String(v)).toThrow(RangeError);
    for (const v of [2 ** 51, -(2 ** 51) - 1, 0.5])
      expect(() => out.int(v), String(v)).toThrow(RangeError);
    out.uint(2 ** 52 - 1);
    out.int(2 ** 51 - 1);
    out.int(-(2 ** 51));
    const input = bitReader(out.finish());
    expect([input.uint(), input.int(), input.int()]).toEqual([
      2 ** 52 - 1,
      2 ** 51 - 1,
      -(2 ** 51),
    ]);
    expect(input.done()).toBe(true);
  });

  it("round-trips integers, doubles and count runs through the base64 bit stream", () => {
    const big = fc.integer({ min: 0, max: 2 ** 52 - 1 });
    const item = fc.oneof(
      fc.record({ uint: fc.oneof(fc.nat(1000), big) }),
      fc.record({ int: fc.integer({ min: -(2 ** 51), max: 2 ** 51 - 1 }) }),
      fc.record({ float: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0.1, 812.5, -1e-7)) }),
      fc.record({ counts: fc.array(fc.oneof(fc.nat(3), fc.nat(5000), big), { maxLength: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), (items) => {
        const out = bitWriter();
        for (const x of items) {
          if ("uint" in x) out.uint(x.uint);
          else if ("int" in x) out.int(x.int);
          else if ("float" in x) out.float(x.float);
          else out.counts(x.counts);
        }
        const input = bitReader(out.finish());
        const back = items.map((x) =>
          "uint" in x
            ? { uint: input.uint() }
            : "int" in x
              ? { int: input.int() }
              : "float" in x
                ? { float: input.float() }
                : { counts: input.counts(x.counts.length) },
        );
        expect(back).toEqual(items);
        expect(input.done()).toBe(true);
      }),
    );
  });
});
