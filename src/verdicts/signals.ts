// The signals a release verdict compares, each a rate where higher is worse, and the
// minimum effect of interest of each (an absolute difference of rates): the margin a
// candidate must be shown to stay under to pass, and the scale the test is tuned to find
// quickly. Distributions are compared as exceedance rates against a threshold fixed from
// the incumbent when the analysis starts (its p90 for latency, p50 for the others), so
// "latency got worse" reads "more requests are slower than the incumbent's p90 was".

export interface SignalSpec {
  /** Rate signals: what the counts are. Exceedance: which side of the threshold is worse. */
  kind: "rate" | "above" | "below";
  /** For exceedance signals: the incumbent's quantile that sets the threshold. */
  quantile?: number;
  /** Minimum effect of interest: absolute difference of rates (0.01 = one point). */
  margin: number;
  description: string;
}

export const SIGNALS = {
  error_rate: { kind: "rate", margin: 0.01, description: "interactions with status error" },
  timeout_rate: { kind: "rate", margin: 0.01, description: "interactions with status timeout" },
  refusal_rate: { kind: "rate", margin: 0.02, description: "interactions with status refused" },
  filtered_rate: { kind: "rate", margin: 0.01, description: "interactions with status filtered" },
  unanswered_rate: { kind: "rate", margin: 0.02, description: "interactions marked unanswered" },
  escalation_rate: { kind: "rate", margin: 0.02, description: "interactions escalated" },
  thumbs_down_rate: { kind: "rate", margin: 0.03, description: "thumbs-down among thumbs" },
  latency_p90_exceedance: {
    kind: "above",
    quantile: 0.9,
    margin: 0.05,
    description: "interactions slower than the incumbent's p90 latency",
  },
  ttft_p90_exceedance: {
    kind: "above",
    quantile: 0.9,
    margin: 0.05,
    description: "interactions whose time to first token exceeds the incumbent's p90",
  },
  output_tokens_p50_exceedance: {
    kind: "above",
    quantile: 0.5,
    margin: 0.05,
    description: "interactions longer (output tokens) than the incumbent's median",
  },
  cost_p50_exceedance: {
    kind: "above",
    quantile: 0.5,
    margin: 0.05,
    description: "interactions costing more than the incumbent's median cost",
  },
  retrieval_p50_shortfall: {
    kind: "below",
    quantile: 0.5,
    margin: 0.05,
    description: "interactions whose retrieval top score is under the incumbent's median",
  },
} as const satisfies Record<string, SignalSpec>;

export type BuiltinSignal = keyof typeof SIGNALS;
export const BUILTIN_SIGNALS = Object.keys(SIGNALS) as BuiltinSignal[];

/** Each custom eval `name` is compared as `eval:name` (scores under the incumbent's median). */
export const EVAL_PREFIX = "eval:";
export const EVAL_SIGNAL: SignalSpec = {
  kind: "below",
  quantile: 0.5,
  margin: 0.05,
  description: "eval scores under the incumbent's median",
};

/** The spec of a signal by name (built-in or eval:…); null for an unknown name. */
export function signalSpec(name: string): SignalSpec | null {
  if (name.startsWith(EVAL_PREFIX) && name.length > EVAL_PREFIX.length) return EVAL_SIGNAL;
  return Object.hasOwn(SIGNALS, name) ? SIGNALS[name as BuiltinSignal] : null;
}
