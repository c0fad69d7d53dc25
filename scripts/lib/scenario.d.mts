// Types of the demo scenario (scenario.mjs), so strict TypeScript tests can import it.
import type { InteractionEvent, Status } from "../../packages/sdk/src/types";

export type PlayStyle = "openai" | "stream" | "manual";

export interface DemoDeployment {
  slug: string;
  style: PlayStyle;
  provider: string;
  model: string;
  prompt_version: string;
  /** Live interactions per second (the seeded week: HISTORY_SHARE of it). */
  perSecond: number;
  latencyMs: number;
  outputChars: number;
  /** Share of interactions that get a thumbs-down / thumbs-up. */
  thumbsDown: number;
  thumbsUp: number;
  intents: string[];
}

export interface Draw {
  prompt_version: string;
  status: Status;
  error_type: string | undefined;
  latency_ms: number;
  ttft_ms: number;
  input_tokens: number;
  output_tokens: number;
  output_chars: number;
  finish_reason: string;
  top_score: number;
  hits: number;
  intent: string | undefined;
  thumbs: -1 | 0 | 1;
}

export interface Timeline {
  /** The 20 % canary of v14 starts (minute boundary). */
  canary: number;
  /** v14 serves everyone from here… */
  start: number;
  /** …until the rollback. */
  end: number;
}

/** A scenario event: a v1 interaction with its timestamp always set (epoch ms). */
export type ScenarioEvent = InteractionEvent & { ts: number; environment: string };

export type Rng = () => number;

export declare const ENVIRONMENT: "production";
export declare const DEPLOYMENTS: readonly DemoDeployment[];
export declare const INCIDENT: {
  deployment: string;
  prompt_version: string;
  outputScale: number;
  latencyScale: number;
  thumbsDown: number;
  thumbsUp: number;
  durationMinutes: number;
  leadSeconds: number;
  canaryShare: number;
  canaryMinutes: number;
  gitSha: string;
};
export declare const HISTORY_DAYS: number;
export declare const HISTORY_SHARE: number;
export declare function historyPerHour(d: DemoDeployment): number;

export declare function deploymentNamed(slug: string): DemoDeployment;
export declare function createRng(seed: number): Rng;
export declare function lognormal(rng: Rng, median: number, sigma: number): number;
export declare function nextArrivalMs(rng: Rng, perSecond: number): number;
export declare function drawInteraction(d: DemoDeployment, rng: Rng, incident?: boolean): Draw;
export declare function toEvent(d: DemoDeployment, draw: Draw, ts: number): ScenarioEvent;
export declare function incidentTimeline(liveStart: number, leadSeconds?: number): Timeline;
export declare function inIncident(timeline: Timeline, slug: string, ts: number): boolean;
export declare function incidentShare(timeline: Timeline, slug: string, ts: number): number;
export declare function servesIncident(
  timeline: Timeline,
  slug: string,
  ts: number,
  rng: Rng,
): boolean;
export declare function diurnal(ts: number): number;
export declare function historyEvents(
  from: number,
  to: number,
  rng: Rng,
  deployments?: readonly DemoDeployment[],
): ScenarioEvent[];
export declare function liveEvents(
  d: DemoDeployment,
  from: number,
  to: number,
  timeline: Timeline,
  rng: Rng,
): ScenarioEvent[];
