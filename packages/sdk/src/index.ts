// @driftwatch/sdk: the client SDK apps import to send events to Driftwatch.
// Zero dependencies and nothing outside this folder, so it bundles for every runtime.
export { createBrowserMonitor } from "./browser";
export {
  type AnthropicLike,
  classifyError,
  eventIdOf,
  type InstrumentOptions,
  instrumentAnthropic,
  instrumentOpenAI,
  type OpenAILike,
} from "./instrument";
export { createMonitor } from "./monitor";
export { createNodeMonitor } from "./node";
export type * from "./types";
export { createWorkerMonitor, type WaitUntilContext, withWaitUntil } from "./workers";
