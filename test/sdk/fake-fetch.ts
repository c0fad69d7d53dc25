// Test double for fetch: records every request the SDK actually sent and answers from
// a script of responses (the last one repeats).
import type { FetchLike } from "../../packages/sdk/src/types";

export interface SentRequest {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: string;
  events: Record<string, unknown>[];
  keepalive: boolean | undefined;
}

type Answer = Response | Error | ((request: SentRequest) => Response);

export const accepted = (count: number, rejected: unknown[] = []) =>
  Response.json({ accepted: count - rejected.length, rejected }, { status: 202 });

export const fakeFetch = (...script: Answer[]) => {
  const requests: SentRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = String(init.body);
    const request: SentRequest = {
      url,
      method: init.method,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body,
      events: (JSON.parse(body) as { events: Record<string, unknown>[] }).events,
      keepalive: (init as { keepalive?: boolean }).keepalive,
    };
    requests.push(request);
    const answer = script.length > 1 ? script.shift() : script[0];
    if (answer instanceof Error) throw answer;
    if (typeof answer === "function") return answer(request);
    return answer?.clone() ?? accepted(request.events.length);
  };
  return { fetch, requests };
};

/** Default answer: 202 accepting every event in the request. */
export const acceptAll = (request: SentRequest) => accepted(request.events.length);

/** A sleep that records the requested delays and returns at once. */
export const recordingSleep = () => {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { sleep, delays };
};
