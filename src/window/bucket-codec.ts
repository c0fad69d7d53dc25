// Compact text code for a Bucket, for the Durable Object's SQLite rows.
//
// Format: a JSON array, positional so that no field names are repeated per row:
//   [1, counters, dists, evals, dims, tags]
//   1         format version
//   counters  numbers in COUNTERS order, trailing zeros left off (so counters may be appended)
//   dists     sketch codes (encodeSketch, "" when empty) in DISTRIBUTIONS order
//   evals     {eval name: sketch code}
//   dims      {value: count} objects in DIMENSIONS order
//   tags      {tag key: {value: count}}
//   model_cost {model: USD}, left off when empty (and in rows written before it existed)
// JSON takes care of escaping arbitrary names and values; the sketch codes contain
// only base64, digits and ".,-+e", so they need no escaping.
import { type Bucket, COUNTERS, DIMENSIONS, DISTRIBUTIONS, emptyBucket } from "./bucket-shape";
import { type Counts, dict, put } from "./capped-counts";
import { decodeSketch, encodeSketch } from "./sketch";

const VERSION = 1;

export function encodeBucket(b: Bucket): string {
  const counters = COUNTERS.map((k) => b.counters[k]);
  // JSON would write a non-finite counter as null: refuse to store what cannot come back.
  const bad = COUNTERS.find((k) => !Number.isFinite(b.counters[k]));
  if (bad) throw new RangeError(`bucket: counter ${bad} is ${b.counters[bad]}`);
  while (counters.length > 0 && counters[counters.length - 1] === 0) counters.pop();
  const evals = Object.fromEntries(
    Object.entries(b.evals).map(([name, sketch]) => [name, encodeSketch(sketch)]),
  );
  const code: unknown[] = [
    VERSION,
    counters,
    DISTRIBUTIONS.map((d) => encodeSketch(b.dists[d])),
    evals,
    DIMENSIONS.map((d) => b.dims[d]),
    b.tags,
  ];
  if (Object.keys(b.model_cost).length > 0) code.push(b.model_cost);
  return JSON.stringify(code);
}

function fail(what: string): never {
  throw new SyntaxError(`bucket: malformed ${what}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

function toCounts(x: unknown): Counts {
  if (!isRecord(x)) fail("counts");
  const counts = dict<number>();
  for (const [value, n] of Object.entries(x)) {
    if (!isNumber(n) || n < 0) fail("counts");
    put(counts, value, n);
  }
  return counts;
}

export function decodeBucket(text: string): Bucket {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || parsed[0] !== VERSION) fail("header");
  const [, counters, dists, evals, dims, tags, modelCost] = parsed;
  if (!Array.isArray(counters) || counters.length > COUNTERS.length) fail("counters");
  if (!Array.isArray(dists) || dists.length !== DISTRIBUTIONS.length) fail("distributions");
  if (!isRecord(evals) || !isRecord(tags)) fail("evals or tags");
  if (!Array.isArray(dims) || dims.length !== DIMENSIONS.length) fail("dimensions");
  const b = emptyBucket();
  COUNTERS.forEach((k, i) => {
    // Only a counter left off the end is 0: a null (JSON's Infinity or NaN) is corrupt,
    // not zero, and must not turn a total into 0 silently.
    const n: unknown = i < counters.length ? counters[i] : 0;
    b.counters[k] = isNumber(n) ? n : fail("counter");
  });
  DISTRIBUTIONS.forEach((d, i) => {
    const code: unknown = dists[i];
    b.dists[d] = typeof code === "string" ? decodeSketch(code) : fail("sketch");
  });
  for (const [name, code] of Object.entries(evals)) {
    put(b.evals, name, typeof code === "string" ? decodeSketch(code) : fail("eval sketch"));
  }
  DIMENSIONS.forEach((d, i) => {
    b.dims[d] = toCounts(dims[i]);
  });
  for (const [key, counts] of Object.entries(tags)) put(b.tags, key, toCounts(counts));
  if (modelCost !== undefined) b.model_cost = toCounts(modelCost);
  return b;
}
