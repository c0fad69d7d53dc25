// A local HTTP server that plays an AI endpoint for probe tests (test/probes/), started
// in Node by vitest's globalSetup. Each path is one behaviour, OpenAI-compatible:
//   /ai/right /ai/wrong /ai/refusal /ai/slow        JSON chat completions
//   /ai/malformed /ai/500 /ai/hang /ai/echo         broken bodies, errors, no answer, echoed headers
//   /ai/stream /ai/stream-slow-start /ai/stream-broken /ai/stream-truncated   SSE chat streams
//   /ai/mode/<name>   answers as POST /__mode/<name> {"mode": "right" | "wrong" | …} says
//   GET /__requests/<name>  → the headers of requests received on /ai/mode/<name>
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

const RIGHT = "The capital of France is Paris.";
const WRONG = "The capital of France is Berlin.";
const REFUSAL = "I'm sorry, but I can't help with that.";

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => resolve(body));
  });

const completion = (content: string) =>
  JSON.stringify({
    id: "chatcmpl-1",
    choices: [{ index: 0, message: { role: "assistant", content } }],
  });
const delta = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answer(mode: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const json = (status: number, body: string) =>
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  switch (mode) {
    case "right":
      return json(200, completion(RIGHT));
    case "wrong":
      return json(200, completion(WRONG));
    case "refusal":
      return json(200, completion(REFUSAL));
    case "slow":
      await sleep(1_500);
      return json(200, completion(RIGHT));
    case "malformed":
      return void res.writeHead(200, { "content-type": "text/html" }).end("<html>gateway</html>");
    case "500":
      return json(500, '{"error":{"message":"internal error"}}');
    case "hang":
      return; // never answers; the probe's timeout must end the run
    case "echo":
      return json(200, completion(`you sent ${req.headers.authorization ?? "nothing"}`));
    case "stream":
    case "stream-slow-start": {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": keep-alive\n\n");
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { role: "assistant" } }] })}\n\n`);
      await sleep(mode === "stream" ? 50 : 1_200);
      for (const part of ["The capital", " of France", " is Paris."]) {
        res.write(delta(part));
        await sleep(50);
      }
      return void res.end("data: [DONE]\n\n");
    }
    case "stream-broken":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(delta("The capital"));
      return void res.end("data: {not json\n\n");
    case "stream-truncated":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(delta("The capital"));
      return void res.end('data: {"choices":[{"delta":{"content":" of Fr');
    default:
      return json(404, '{"error":"unknown mode"}');
  }
}

export default async function setup(project: TestProject) {
  const modes = new Map<string, string>();
  const requests = new Map<string, unknown[]>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://ai");
    const [, kind, name = "", sub = ""] = url.pathname.split("/");
    const body = await read(req);
    if (kind === "__mode") {
      modes.set(name, (JSON.parse(body) as { mode: string }).mode);
      res.writeHead(204).end();
    } else if (kind === "__requests") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(requests.get(name) ?? []));
    } else if (kind === "ai" && name === "mode") {
      const list = requests.get(sub) ?? [];
      list.push({ headers: req.headers, body });
      requests.set(sub, list);
      await answer(modes.get(sub) ?? "right", req, res);
    } else if (kind === "ai") await answer(name, req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("aiUrl", `http://127.0.0.1:${port}`);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
