// Provider response readers: pull model, usage, finish reason and output length out of
// OpenAI-compatible and Anthropic responses and stream chunks (structural, no SDK types).
import type { TrackInput } from "./types";

/** How an instrumented call learns about its result. */
export interface Reader {
  provider: string;
  /** A complete (non-streaming) response. */
  result(value: unknown, event: TrackInput): void;
  /** One stream chunk; returns true if it carried output (time to first token). */
  chunk(value: unknown, event: TrackInput): boolean;
}

interface OpenAIShape {
  model?: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: {
    finish_reason?: string | null;
    message?: { content?: unknown };
    delta?: { content?: unknown };
  }[];
}

interface AnthropicShape {
  type?: string;
  model?: string;
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number } | null;
  content?: { type?: string; text?: unknown }[];
  message?: AnthropicShape;
  delta?: { type?: string; text?: unknown; stop_reason?: string | null };
}

const object = <T>(value: unknown): T => (typeof value === "object" && value ? value : {}) as T;
const length = (text: unknown): number => (typeof text === "string" ? text.length : 0);
const addChars = (event: TrackInput, text: unknown) => {
  event.output_chars = (event.output_chars ?? 0) + length(text);
};

const openaiMeta = (value: unknown, event: TrackInput): OpenAIShape => {
  const r = object<OpenAIShape>(value);
  if (r.model) event.model = r.model;
  if (r.usage) {
    event.input_tokens = r.usage.prompt_tokens ?? event.input_tokens;
    event.output_tokens = r.usage.completion_tokens ?? event.output_tokens;
  }
  const reason = r.choices?.[0]?.finish_reason;
  if (reason) {
    event.finish_reason = reason;
    if (reason === "content_filter") event.status = "filtered";
  }
  return r;
};

export const openaiReader: Reader = {
  provider: "openai",
  result(value, event) {
    addChars(event, openaiMeta(value, event).choices?.[0]?.message?.content);
  },
  chunk(value, event) {
    const r = openaiMeta(value, event);
    addChars(event, r.choices?.[0]?.delta?.content);
    return !!r.choices?.length;
  },
};

const STOP_REASONS: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
};

const anthropicMeta = (r: AnthropicShape, event: TrackInput) => {
  if (r.model) event.model = r.model;
  if (r.usage) {
    event.input_tokens = r.usage.input_tokens ?? event.input_tokens;
    event.output_tokens = r.usage.output_tokens ?? event.output_tokens;
  }
  const reason = r.stop_reason ?? r.delta?.stop_reason;
  if (reason) {
    event.finish_reason = STOP_REASONS[reason] ?? reason;
    if (reason === "refusal") event.status = "refused";
  }
};

export const anthropicReader: Reader = {
  provider: "anthropic",
  result(value, event) {
    const r = object<AnthropicShape>(value);
    anthropicMeta(r, event);
    for (const block of r.content ?? []) if (block.type === "text") addChars(event, block.text);
  },
  chunk(value, event) {
    const r = object<AnthropicShape>(value);
    anthropicMeta(r.type === "message_start" ? object<AnthropicShape>(r.message) : r, event);
    if (r.type !== "content_block_delta") return false;
    addChars(event, r.delta?.text);
    return true;
  },
};
