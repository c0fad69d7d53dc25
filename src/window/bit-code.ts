// A bit stream packed into base64 text (6 bits per character, most significant
// first) with the codes the sketch code uses: length-prefixed integers, exact
// doubles, and adaptive Rice codes for runs of bin counts.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT: ReadonlyMap<string, number> = new Map([...ALPHABET].map((c, i) => [c, i]));
/** uint takes [0, 2^52); int takes [-2^51, 2^51), whose zigzag stays below 2^52. */
const LIMIT = 2 ** 52;
/** A Rice quotient this large is written as ESCAPE ones and a length-prefixed integer. */
const ESCAPE = 24;
/** The adaptive Rice state halves after this many values, so k follows local counts. */
const RESET = 8;

export interface BitWriter {
  /** Unsigned integer in `width` bits (width <= 53). */
  bits(value: number, width: number): void;
  /** Unsigned integer in [0, 2^52): its bit length in 6 bits, then its bits. */
  uint(value: number): void;
  /** Signed integer in [-2^51, 2^51), zigzagged into uint. */
  int(value: number): void;
  /**
   * A double, exactly: 2 bits of kind, then 0: an integer (int), 1: m / 10^e with
   * e in 4 bits and m an int (short decimals like 812.5), 2: its 64 IEEE bits.
   */
  float(value: number): void;
  /** Non-negative counts with a Rice parameter adapting to recent counts (JPEG-LS style). */
  counts(values: readonly number[]): void;
  /** The base64 text; the last character is padded with zero bits. */
  finish(): string;
}

export interface BitReader {
  bits(width: number): number;
  uint(): number;
  int(): number;
  float(): number;
  counts(n: number): number[];
  /** True when only padding (fewer than 6 bits) is left. */
  done(): boolean;
}

function bitLength(value: number): number {
  let length = 0;
  while (2 ** length <= value) length++;
  return length;
}

const SMALL = 2 ** 51;

/** The scale e (1..15) at which value is m / 10^e exactly with |m| < 2^51, or 0 if none. */
function decimalScale(value: number): number {
  for (let e = 1; e <= 15; e++) {
    const m = Math.round(value * 10 ** e);
    if (Math.abs(m) < SMALL && m / 10 ** e === value) return e;
  }
  return 0;
}

/** Throws unless `value` is an integer in [min, max); `range` names that span in the message. */
function check(value: number, min = 0, max = LIMIT, range = "[0, 2^52)"): void {
  if (!Number.isInteger(value) || value < min || value >= max) {
    throw new RangeError(`bit-code: not an integer in ${range}: ${value}`);
  }
}

/** Shared by writer and reader: k is the smallest with n·2^k >= sum of recent values. */
function riceState() {
  let sum = 1;
  let n = 1;
  return {
    k(): number {
      let k = 0;
      while (n * 2 ** k < sum) k++;
      return k;
    },
    update(value: number): void {
      sum += value;
      n += 1;
      if (n >= RESET) {
        sum = Math.ceil(sum / 2);
        n /= 2;
      }
    },
  };
}

/** Bits that BitWriter.counts would spend on these values (Infinity if it cannot code them). */
export function countsCost(values: readonly number[]): number {
  const state = riceState();
  let bits = 0;
  for (const value of values) {
    if (!Number.isInteger(value) || value < 0 || value >= LIMIT) return Number.POSITIVE_INFINITY;
    const k = state.k();
    const quotient = Math.floor(value / 2 ** k);
    bits += quotient < ESCAPE ? quotient + 1 + k : ESCAPE + 6 + bitLength(value);
    state.update(value);
  }
  return bits;
}

export function bitWriter(): BitWriter {
  let out = "";
  let acc = 0;
  let pending = 0;
  const small = (value: number, width: number) => {
    for (let i = width - 1; i >= 0; i--) {
      acc = (acc << 1) | (Math.floor(value / 2 ** i) % 2);
      if (++pending === 6) {
        out += ALPHABET[acc];
        acc = 0;
        pending = 0;
      }
    }
  };
  const writer: BitWriter = {
    bits(value, width) {
      if (width > 26) {
        small(Math.floor(value / 2 ** 26), width - 26);
        small(value % 2 ** 26, 26);
      } else small(value, width);
    },
    uint(value) {
      check(value);
      const length = bitLength(value);
      small(length, 6);
      writer.bits(value, length);
    },
    int(value) {
      check(value, -LIMIT / 2, LIMIT / 2, "[-2^51, 2^51)");
      writer.uint(value < 0 ? -2 * value - 1 : 2 * value);
    },
    float(value) {
      if (Number.isInteger(value) && Math.abs(value) < SMALL && !Object.is(value, -0)) {
        small(0, 2);
        writer.int(value);
        return;
      }
      // NOTE: -0 takes the IEEE path: as an integer or a decimal it would come back as +0.
      const e = Number.isFinite(value) && !Object.is(value, -0) ? decimalScale(value) : 0;
      if (e > 0) {
        small(1, 2);
        small(e, 4);
        writer.int(Math.round(value * 10 ** e));
        return;
      }
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value);
      small(2, 2);
      writer.bits(view.getUint32(0), 32);
      writer.bits(view.getUint32(4), 32);
    },
    counts(values) {
      const state = riceState();
      for (const value of values) {
        check(value);
        const k = state.k();
        const quotient = Math.floor(value / 2 ** k);
        if (quotient < ESCAPE) {
          small(2 ** quotient - 1, quotient);
          small(0, 1);
          writer.bits(value % 2 ** k, k);
        } else {
          small(2 ** ESCAPE - 1, ESCAPE);
          writer.uint(value);
        }
        state.update(value);
      }
    },
    finish() {
      return pending === 0 ? out : out + ALPHABET[acc << (6 - pending)];
    },
  };
  return writer;
}

export function bitReader(text: string): BitReader {
  let position = 0; // in bits
  const total = text.length * 6;
  const bit = () => {
    if (position >= total) throw new SyntaxError("bit-code: unexpected end of input");
    const digit = DIGIT.get(text.charAt(Math.floor(position / 6)));
    if (digit === undefined) throw new SyntaxError("bit-code: character outside base64");
    const shift = 5 - (position % 6);
    position += 1;
    return (digit >> shift) & 1;
  };
  const reader: BitReader = {
    bits(width) {
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 2 + bit();
      return value;
    },
    uint() {
      const length = reader.bits(6);
      if (length > 52) throw new SyntaxError("bit-code: integer too long");
      return reader.bits(length);
    },
    int() {
      const z = reader.uint();
      return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
    },
    float() {
      const kind = reader.bits(2);
      if (kind === 0) return reader.int();
      if (kind === 1) {
        const e = reader.bits(4);
        return reader.int() / 10 ** e;
      }
      if (kind !== 2) throw new SyntaxError("bit-code: unknown number kind");
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, reader.bits(32));
      view.setUint32(4, reader.bits(32));
      return view.getFloat64(0);
    },
    counts(n) {
      const state = riceState();
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        const k = state.k();
        let quotient = 0;
        while (quotient < ESCAPE && bit() === 1) quotient++;
        const value = quotient === ESCAPE ? reader.uint() : quotient * 2 ** k + reader.bits(k);
        values.push(value);
        state.update(value);
      }
      return values;
    },
    done() {
      return total - position < 6;
    },
  };
  return reader;
}
