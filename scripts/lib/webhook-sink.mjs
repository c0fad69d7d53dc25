// A local stand-in for a Slack incoming webhook: an HTTP server on 127.0.0.1 that prints
// each Block Kit message it receives as Slack would show it, and answers 200 "ok".
import { createServer } from "node:http";
import { renderSlack } from "./slack-console.mjs";

const MAX_BODY = 1 << 20;

function frame(lines, at) {
  const title = `── Slack message received by the local webhook sink · ${at.toLocaleTimeString("en-GB")} `;
  return [
    "",
    `┌${title}${"─".repeat(Math.max(4, 78 - title.length))}`,
    ...lines.map((l) => `│ ${l}`),
    `└${"─".repeat(79)}`,
    "",
  ].join("\n");
}

/** Starts the sink; resolves to {url, received(), close()}. `print` gets each rendered message. */
export function startWebhookSink({ port = 0, print = (text) => console.log(text) } = {}) {
  let received = 0;
  const server = createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      received++;
      let lines;
      try {
        lines = renderSlack(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        lines = [`(a ${size}-byte body that is not a Slack JSON message)`];
      }
      print(frame(lines, new Date()));
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        url: `http://127.0.0.1:${address.port}/slack`,
        received: () => received,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
