// Test values for sketches: seeded samplers (fast-check picks the seed, these draw
// many values from a named distribution cheaply) and fast-check value arbitraries.
import fc from "fast-check";
import { createSketch, sketchAdd } from "../src/window/sketch";

/** mulberry32: a small 32-bit PRNG returning values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function lognormal(random: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** Pareto with scale xm and shape alpha (alpha ≈ 1.1 is very heavy-tailed). */
export function pareto(random: () => number, xm: number, alpha: number): number {
  return xm / (1 - random()) ** (1 / alpha);
}

export type DistributionName =
  | "uniform"
  | "lognormal"
  | "pareto"
  | "log-uniform"
  | "mixed-sign"
  | "integers";

export const DISTRIBUTION_NAMES: readonly DistributionName[] = [
  "uniform",
  "lognormal",
  "pareto",
  "log-uniform",
  "mixed-sign",
  "integers",
];

/** n draws from a named distribution; log-uniform spans 1e-3 … 1e5 (8 orders of magnitude). */
export function sample(name: DistributionName, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const draw: Record<DistributionName, () => number> = {
    uniform: () => random() * 1000,
    lognormal: () => lognormal(random, 800, 1),
    pareto: () => pareto(random, 1, 1.1),
    "log-uniform": () => 10 ** (random() * 8 - 3),
    "mixed-sign": () => {
      const u = random();
      if (u < 0.1) return 0;
      return (u < 0.4 ? -1 : 1) * lognormal(random, 0.5, 1.5);
    },
    integers: () => Math.floor(random() * 20),
  };
  return Array.from({ length: n }, draw[name]);
}

export const sketchOf = (values: readonly number[]) => {
  const s = createSketch();
  for (const v of values) sketchAdd(s, v);
  return s;
};

/** Magnitudes spanning 8 orders, well inside one store's 1024-bin window. */
export const magnitude = fc.double({ min: 1e-3, max: 1e5, noNaN: true });
export const anyValue = fc.oneof(
  fc.constant(0),
  magnitude,
  magnitude.map((m) => -m),
  fc.integer({ min: -1000, max: 1000 }),
);
