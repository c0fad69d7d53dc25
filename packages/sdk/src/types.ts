// Hand-written mirror of the v1 event contract (the server's src/ingest/event-schema.ts)
// plus the SDK's option and Monitor types; no zod here, the SDK ships to browsers.

export type Status = "ok" | "error" | "timeout" | "refused" | "filtered";
export type FeedbackValue = -1 | 0 | 1;

/** One AI interaction (request/response), as POSTed to /v1/events. */
export interface InteractionEvent {
  type?: "interaction";
  /** Idempotency key, ≤ 64 chars. */
  id?: string;
  /** Slug: [a-z0-9][a-z0-9-_.]{0,63}. */
  deployment: string;
  environment?: string;
  /** Epoch ms or ISO-8601 with offset. */
  ts?: number | string;
  model?: string;
  provider?: string;
  prompt_version?: string;
  release?: string;
  latency_ms?: number;
  ttft_ms?: number;
  status?: Status;
  error_type?: string;
  input_tokens?: number;
  output_tokens?: number;
  /** Parts of input_tokens read from / written to the prompt cache; priced apart. */
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  /** The part of output_tokens spent on reasoning. */
  reasoning_output_tokens?: number;
  cost_usd?: number;
  output_chars?: number;
  finish_reason?: string;
  feedback?: FeedbackValue;
  /** Graded score in 0..1. */
  rating?: number;
  escalated?: boolean;
  unanswered?: boolean;
  retrieval?: { top_score?: number; hits?: number };
  /** ≤ 16 keys. */
  evals?: Record<string, number>;
  /** Low-cardinality, ≤ 16 keys. */
  tags?: Record<string, string>;
  user?: string;
  session?: string;
}

/** A late signal about an earlier interaction, referenced by its id. */
export interface FeedbackEvent {
  type: "feedback";
  id?: string;
  ref: string;
  deployment: string;
  environment?: string;
  ts?: number | string;
  feedback: FeedbackValue;
  rating?: number;
}

export type SdkEvent = InteractionEvent | FeedbackEvent;

/** What `track()` accepts: deployment and environment default to the monitor's. */
export type TrackInput = Omit<InteractionEvent, "type" | "deployment"> & { deployment?: string };

/** Release fields stamped on every tracked event unless the event sets them. */
export type Defaults = Pick<InteractionEvent, "model" | "provider" | "prompt_version" | "release">;

/** One entry of a 202 answer's `rejected[]`. */
export interface Rejection {
  index: number;
  code: string;
  /** The first problem; `issues` lists each field error of the event (at most 10). */
  path: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** Reported through `onError`; `status` is 0 for network failures. */
export interface MonitorError {
  status: number;
  message: string;
  /** How many events this error cost. */
  count: number;
  rejected?: Rejection[];
}

/** What the SDK passes to `fetch`: always a POST with a string body. */
export interface FetchInit {
  method: "POST";
  headers: Record<string, string>;
  body: string;
  keepalive?: boolean;
}

/** The parts of a fetch Response the SDK reads. */
export interface FetchResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * Structural, so the declarations need no DOM or Node typings: the global `fetch` of
 * browsers, Workers and Node 18+ fits, and so does a test double.
 */
export type FetchLike = (input: string, init: FetchInit) => Promise<FetchResponse>;

export interface MonitorOptions {
  /** Base URL of the Driftwatch API, without a trailing /v1/events. */
  endpoint: string;
  /** An API key with the `ingest` scope. */
  key: string;
  deployment: string;
  environment?: string;
  /** Events per request (≤ 1000); a full batch is sent at once. Default 50. */
  maxBatchSize?: number;
  /** Send a partial batch this long after its first event; ≤ 0 disables. Default 2000. */
  flushIntervalMs?: number;
  /** Queue bound; when full the oldest event is dropped. Default 1000. */
  maxQueueSize?: number;
  /** Retries for 429, 5xx and network errors. Default 5. */
  maxRetries?: number;
  fetch?: FetchLike;
  onError?: (error: MonitorError) => void;
  defaults?: Defaults;
  /** Synchronous best-effort transport used by `flushSync()` (the browser adapter passes sendBeacon). */
  beacon?: (body: string) => void;
  /** Injectable for tests: clock, sleep and [0,1) random source of the backoff. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface MonitorStats {
  queued: number;
  sent: number;
  dropped: number;
  failed: number;
  retries: number;
}

export interface Monitor {
  /** Queues an interaction; returns its id (generated if absent) for `feedback()`. */
  track(event: TrackInput): string;
  /** Queues a late feedback event about the interaction `eventId`. */
  feedback(eventId: string, value: FeedbackValue, rating?: number): string;
  /** Sends everything queued so far; resolves once it is delivered or given up on. */
  flush(): Promise<void>;
  /** Hands the whole queue to `beacon` now, in ≤ 64 KB bodies (page unload). */
  flushSync(): void;
  stats(): MonitorStats;
  /** Stops the timer and flushes; events tracked afterwards are dropped. */
  close(): Promise<void>;
  /** Id of the most recently tracked interaction. */
  readonly lastEventId: string | undefined;
}
