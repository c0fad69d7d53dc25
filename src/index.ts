// Worker entry: wires the HTTP app, the queue consumers, the cron tick and the
// Durable Object classes. Nothing else lives here.
import { Hono } from "hono";

const app = new Hono<{ Bindings: Env }>();
app.get("/healthz", (c) => c.json({ ok: true }));

export { DeploymentMonitor } from "./monitor/deployment-monitor";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
