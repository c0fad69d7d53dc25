// Windows from the DeploymentMonitor: percentiles across merged minute buckets agree
// with the exact percentiles of the same data, and state stays bounded.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { decodeBucket } from "../../src/window/bucket";
import { summarizeBucket } from "../../src/window/summary";
import { sample } from "../sample-values";
import { encodedMinutes } from "../seed-buckets";

const QUANTILES = [
  ["p50", 0.5],
  ["p90", 0.9],
  ["p95", 0.95],
  ["p99", 0.99],
] as const;

/** The exact quantile the sketch promises to approximate: rank floor(q (n − 1)). */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

let seq = 0;
async function feed(values: number[], spreadMinutes: number) {
  const slug = `window-${seq++}`;
  const now = Date.now();
  const events: NormalizedInteraction[] = values.map((v, i) => ({
    type: "interaction",
    id: `e${i}`,
    deployment: slug,
    environment: "production",
    // Spread over several minute buckets (and so hour buckets) to exercise merges.
    ts: now - Math.floor((i / values.length) * spreadMinutes) * 60_000,
    status: "ok",
    latency_ms: v,
  }));
  const deploymentId = `prj_window:production:${slug}`;
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  await stub.apply({ deploymentId, token: `t${seq}`, buckets: encodedMinutes(events) });
  return stub;
}

describe("window percentiles", () => {
  it("agree with exact percentiles within 1 % across merged buckets (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("uniform", "lognormal", "pareto", "log-uniform", "integers" as const),
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer(),
        async (dist, n, spread, seed) => {
          // Latencies are non-negative: fold any sampler into [0, ∞).
          const values = sample(dist, n, seed).map((v) => Math.abs(v));
          const stub = await feed(values, spread);
          const { summary, buckets } = await stub.snapshot({
            from: Date.now() - 100 * 60_000,
            to: Date.now() + 1,
          });
          expect(buckets).toBeGreaterThanOrEqual(Math.min(spread, n) > 1 ? 2 : 1);
          expect(summary.count).toBe(n);
          const sorted = [...values].sort((a, b) => a - b);
          const latency = summary.distributions.latency_ms;
          for (const [name, q] of QUANTILES) {
            const exact = exactQuantile(sorted, q);
            const got = latency[name];
            if (exact === 0) expect(got).toBe(0);
            else expect(Math.abs((got ?? Number.NaN) - exact) / exact).toBeLessThanOrEqual(0.01);
          }
          expect(latency.min).toBe(sorted[0]);
          expect(latency.max).toBe(sorted[sorted.length - 1]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("gives the same window from 1-hour buckets as from 1-minute buckets", async () => {
    const values = sample("lognormal", 2_000, 7);
    const stub = await feed(values, 100);
    const range = { from: Date.now() - 3 * 3_600_000, to: Date.now() + 1 };
    const [minutes, hours] = await stub.windows([
      { ...range, resolution: "1m" },
      { ...range, resolution: "1h" },
    ]);
    if (!minutes || !hours) throw new Error("missing windows");
    const [a, b] = [minutes, hours].map(
      (w) => summarizeBucket(decodeBucket(w.data)).distributions.latency_ms,
    );
    expect(a?.count).toBe(2_000);
    // Same bins either way; only the float sum may differ in its last bits.
    expect({ ...b, mean: 0 }).toEqual({ ...a, mean: 0 });
    expect(b?.mean).toBeCloseTo(a?.mean ?? Number.NaN, 6);
  });
});
