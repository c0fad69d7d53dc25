// Synthetic traffic for the alert tests: seeded interactions counted into real Buckets.
import { addEvent, type Bucket, emptyBucket } from "../../src/window/bucket";
import { interaction } from "../sample-events";
import { normal, seededRandom } from "../sample-values";

export interface Traffic {
  errorRate: number;
  /** Share of interactions with a thumb, and the thumbs-down share of those. */
  rated: number;
  thumbsDown: number;
  latencyMedian: number;
  tokensMedian: number;
  /** Share of traffic on "model-b"; the rest on "model-a". */
  modelB: number;
  /** Name of the second model (a swap names a new one). */
  modelBName: string;
}

export const NORMAL: Traffic = {
  errorRate: 0.01,
  rated: 1,
  thumbsDown: 0.05,
  latencyMedian: 650,
  tokensMedian: 180,
  modelB: 0.1,
  modelBName: "model-b",
};

/** `n` interactions drawn from `traffic`, counted into one bucket. */
export function traffic(n: number, seed: number, changes: Partial<Traffic> = {}): Bucket {
  const p = { ...NORMAL, ...changes };
  const r = seededRandom(seed);
  const b = emptyBucket();
  for (let i = 0; i < n; i++) {
    const tokens = Math.max(1, Math.round(p.tokensMedian * Math.exp(0.6 * normal(r))));
    const latency = p.latencyMedian * Math.exp(0.4 * normal(r));
    const rated = r() < p.rated;
    const down = r() < p.thumbsDown;
    addEvent(
      b,
      interaction({
        status: r() < p.errorRate ? "error" : "ok",
        latency_ms: latency,
        ttft_ms: latency * 0.35,
        output_tokens: tokens,
        output_chars: Math.round(tokens * 4.2),
        cost_usd: 0.002 + tokens * 1e-5,
        model: r() < p.modelB ? p.modelBName : "model-a",
        finish_reason: r() < 0.97 ? "stop" : "length",
        retrieval: { top_score: Math.min(1, Math.max(0, 0.72 + 0.1 * normal(r))) },
        ...(rated ? { feedback: down ? -1 : 1 } : {}),
      }),
    );
  }
  return b;
}
