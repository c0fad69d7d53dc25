// Answer extractors: how the answer text is found in a response body. `json` reads a
// path from a JSON body, `raw` takes the body as it is, `sse` parses a server-sent-event
// stream and joins the text found at `path` in each event's JSON data (OpenAI-
// compatible chat streams: `choices.0.delta.content`; Anthropic: `delta.text`), stopping
// at `data: [DONE]`. Events without the path (role headers, usage, pings) add nothing.
import { z } from "../zod";
import { getAtPath, type PathPart, parseJsonPath } from "./json-path";
import type { SseEvent } from "./sse";

const PathSchema = z
  .string()
  .min(1)
  .max(256)
  .superRefine((p, ctx) => {
    try {
      parseJsonPath(p);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
    }
  });

export const ExtractorSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("json"), path: PathSchema }),
  z.strictObject({ type: z.literal("raw") }),
  z.strictObject({ type: z.literal("sse"), path: PathSchema }),
]);
export type Extractor = z.infer<typeof ExtractorSchema>;

/** Why a body could not be judged: the run is an error, not a failed assertion. */
export class MalformedAnswer extends Error {}

function textAt(value: unknown, parts: PathPart[], where: string): string {
  const found = getAtPath(value, parts);
  if (typeof found === "string") return found;
  if (found === undefined || found === null)
    throw new MalformedAnswer(`${where}: no value at the answer path`);
  if (typeof found === "number" || typeof found === "boolean") return String(found);
  throw new MalformedAnswer(
    `${where}: the answer path holds ${Array.isArray(found) ? "an array" : "an object"}, not text`,
  );
}

/** The answer in a complete JSON body. */
export function extractJson(body: string, path: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedAnswer("the body is not JSON");
  }
  return textAt(parsed, parseJsonPath(path), "body");
}

/** Accumulates an SSE answer event by event. */
export class SseAnswer {
  private readonly parts: PathPart[];
  private readonly chunks: string[] = [];
  done = false;
  /** Events whose data carried answer text. */
  textEvents = 0;

  constructor(path: string) {
    this.parts = parseJsonPath(path);
  }

  /** Adds one event; returns the text it carried ("" if none). Throws on bad JSON data. */
  add(ev: SseEvent): string {
    if (this.done) return "";
    const data = ev.data.trim();
    if (data === "[DONE]") {
      this.done = true;
      return "";
    }
    if (ev.event === "error")
      throw new MalformedAnswer(`the stream sent an error event: ${data.slice(0, 200)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new MalformedAnswer(`stream event ${this.textEvents + 1}: data is not JSON`);
    }
    const found = getAtPath(parsed, this.parts);
    if (typeof found !== "string" || found === "") return "";
    this.chunks.push(found);
    this.textEvents++;
    return found;
  }

  get text(): string {
    return this.chunks.join("");
  }
}
