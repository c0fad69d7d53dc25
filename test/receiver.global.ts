// A real local HTTP server for outbound-delivery tests (Slack and webhooks), started
// in Node by vitest's globalSetup. Tests script its answers per path and read back
// exactly what was received:
//   POST /__script/<name>  body: {"responses": [{"status": 429, "headers": {...}, "delay_ms"?: 3000}, ...]}
//   GET  /__received/<name> → [{method, headers, body, at}]
//   any  /hook/<name>       → records the request, answers the next scripted response (default 200)
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  /** Answer only after this long (a slow receiver). */
  delay_ms?: number;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => resolve(body));
  });

export default async function setup(project: TestProject) {
  const scripts = new Map<string, Scripted[]>();
  const received = new Map<string, unknown[]>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const [, kind, name = ""] = url.pathname.split("/");
    const body = await read(req);
    if (kind === "__script") {
      scripts.set(name, (JSON.parse(body) as { responses: Scripted[] }).responses);
      res.writeHead(204).end();
    } else if (kind === "__received") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(received.get(name) ?? []));
    } else if (kind === "hook") {
      const list = received.get(name) ?? [];
      list.push({ method: req.method, headers: req.headers, body, at: Date.now() });
      received.set(name, list);
      const next = scripts.get(name)?.shift() ?? { status: 200 };
      if (next.delay_ms) await new Promise((r) => setTimeout(r, next.delay_ms));
      if (res.destroyed) return;
      res.writeHead(next.status, next.headers ?? {}).end(next.status === 200 ? "ok" : "nope");
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("receiverUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
