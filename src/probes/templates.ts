// Ready-made requests for the two API shapes most AI endpoints speak: an OpenAI-
// compatible chat completion and an Anthropic message. A template fills in the method,
// headers (the key as a secret header), body and answer extractor; the probe keeps
// its own URL, assertions and schedule.
import { z } from "../zod";
import type { Extractor } from "./extractor";
import type { Headers } from "./headers";

export const TemplateSchema = z.strictObject({
  kind: z.enum(["openai-chat", "anthropic-messages"]),
  model: z.string().min(1).max(128),
  /** The question the probe asks. */
  prompt: z.string().min(1).max(8_000),
  system: z.string().max(8_000).optional(),
  /** The endpoint's key: sent as a secret header, never shown again. */
  api_key: z.string().min(1).max(1_024).optional(),
  stream: z.boolean().default(false),
  max_tokens: z.number().int().min(1).max(8_192).default(256),
  temperature: z.number().min(0).max(2).optional(),
});
export type Template = z.infer<typeof TemplateSchema>;

export interface TemplateRequest {
  method: "POST";
  headers: Headers;
  secretHeaders: Headers;
  body: Record<string, unknown>;
  extractor: Extractor;
}

export function expandTemplate(t: Template): TemplateRequest {
  const common = {
    model: t.model,
    max_tokens: t.max_tokens,
    ...(t.temperature === undefined ? {} : { temperature: t.temperature }),
    ...(t.stream ? { stream: true } : {}),
  };
  if (t.kind === "openai-chat") {
    const messages = [
      ...(t.system === undefined ? [] : [{ role: "system", content: t.system }]),
      { role: "user", content: t.prompt },
    ];
    return {
      method: "POST",
      headers: { "content-type": "application/json" },
      secretHeaders: t.api_key === undefined ? {} : { authorization: `Bearer ${t.api_key}` },
      body: { ...common, messages },
      extractor: t.stream
        ? { type: "sse", path: "choices.0.delta.content" }
        : { type: "json", path: "choices.0.message.content" },
    };
  }
  return {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    secretHeaders: t.api_key === undefined ? {} : { "x-api-key": t.api_key },
    body: {
      ...common,
      ...(t.system === undefined ? {} : { system: t.system }),
      messages: [{ role: "user", content: t.prompt }],
    },
    extractor: t.stream
      ? { type: "sse", path: "delta.text" }
      : { type: "json", path: "content.0.text" },
  };
}
