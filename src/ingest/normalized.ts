// The normalised event: what travels on the TELEMETRY queue, is stored in D1 and is
// counted by the DeploymentMonitor. Same field names as the v1 contract, with
// defaults filled in, ts as epoch ms, and user/session replaced by hashes.
import type { Status } from "./event-schema";

export interface NormalizedInteraction {
  type: "interaction";
  id: string;
  deployment: string;
  environment: string;
  ts: number;
  model?: string;
  provider?: string;
  prompt_version?: string;
  release?: string;
  latency_ms?: number;
  ttft_ms?: number;
  status: Status;
  error_type?: string;
  input_tokens?: number;
  output_tokens?: number;
  /** Parts of input_tokens read from / written to the provider's prompt cache. */
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  /** The part of output_tokens spent on reasoning. */
  reasoning_output_tokens?: number;
  cost_usd?: number;
  /** Where cost_usd came from: the event itself or the model price table. */
  cost_source?: "reported" | "price_table";
  output_chars?: number;
  finish_reason?: string;
  feedback?: -1 | 0 | 1;
  rating?: number;
  escalated?: boolean;
  unanswered?: boolean;
  retrieval?: { top_score?: number; hits?: number };
  evals?: Record<string, number>;
  tags?: Record<string, string>;
  user_hash?: string;
  session_hash?: string;
  /** Set only on probe runs (src/probes): counted apart from real traffic, see monitor/monitor-id.ts. */
  source?: "synthetic";
}

export interface NormalizedFeedback {
  type: "feedback";
  id: string;
  ref: string;
  deployment: string;
  environment: string;
  ts: number;
  feedback: -1 | 0 | 1;
  rating?: number;
}

/** Eval scores of an earlier interaction (`ref`), counted at their own ts like feedback. */
export interface NormalizedEval {
  type: "eval";
  id: string;
  ref: string;
  deployment: string;
  environment: string;
  ts: number;
  evals: Record<string, number>;
}

export type NormalizedEvent = NormalizedInteraction | NormalizedFeedback | NormalizedEval;
