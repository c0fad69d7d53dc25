// A stand-in Driftwatch for the package tests: records every POST /v1/events (headers,
// query and events) and answers 202 as the real API does; also serves the browser
// tests' pages and scripts from memory, so the pages post to their own origin.
import { createServer } from "node:http";

export async function startReceiver() {
  const requests = [];
  const files = new Map();
  const waiters = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    if (req.method === "POST" && url.pathname === "/v1/events") {
      let text = "";
      req.on("data", (chunk) => {
        text += chunk;
      });
      req.on("end", () => {
        const { events } = JSON.parse(text);
        requests.push({
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          key: url.searchParams.get("key"),
          events,
        });
        for (const waiter of waiters.splice(0)) waiter();
        res.writeHead(202, { "content-type": "application/json" });
        res.end(JSON.stringify({ accepted: events.length, rejected: [] }));
      });
      return;
    }
    const file = files.get(url.pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();

  /** The requests carrying events of `deployment`, once at least one arrived. */
  const waitFor = async (deployment, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = requests.filter((r) => r.events.some((e) => e.deployment === deployment));
      if (found.length) return found;
      if (Date.now() > deadline)
        throw new Error(`no event for ${deployment} within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };

  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    waitFor,
    serve: (path, body, type) => files.set(path, { body, type }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
