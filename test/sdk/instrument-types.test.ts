// Type-level check: instrumentOpenAI accepts clients shaped like the real SDK
// (overloaded create returning a Promise subclass) and keeps their signatures.
import { describe, expectTypeOf, it } from "vitest";
import { instrumentOpenAI } from "../../packages/sdk/src";

interface APIPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: Response }>;
}
interface ChatCompletion {
  id: string;
  choices: { message: { content: string | null } }[];
}
interface Stream<T> extends AsyncIterable<T> {
  controller: AbortController;
}
interface ChatParams {
  model: string;
  messages: { role: string; content: string }[];
}
declare class Completions {
  create(
    body: ChatParams & { stream?: false },
    options?: { timeout?: number },
  ): APIPromise<ChatCompletion>;
  create(
    body: ChatParams & { stream: true },
    options?: { timeout?: number },
  ): APIPromise<Stream<{ id: string }>>;
}
interface OpenAIClient {
  chat: { completions: Completions };
  apiKey: string;
}

describe("instrumentation types", () => {
  it("accepts SDK-shaped clients and keeps their overloads", () => {
    const typed = (client: OpenAIClient, monitor: Parameters<typeof instrumentOpenAI>[1]) => {
      const wrapped = instrumentOpenAI(client, monitor);
      const plain = wrapped.chat.completions.create({ model: "m", messages: [] });
      const streamed = wrapped.chat.completions.create({ model: "m", messages: [], stream: true });
      return { plain, streamed };
    };
    expectTypeOf(typed).returns.toEqualTypeOf<{
      plain: APIPromise<ChatCompletion>;
      streamed: APIPromise<Stream<{ id: string }>>;
    }>();
  });
});
