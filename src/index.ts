// Worker entry: wires the HTTP app, the queue consumers, the cron tick and the
// Durable Object classes. Nothing else lives here.
import { app } from "./api/app";
import { handleDeadLetterBatch } from "./queue/dead-letters";
import { handleTelemetryBatch } from "./queue/telemetry-consumer";
import { runTick } from "./tick";

export { DeploymentMonitor } from "./monitor/deployment-monitor";

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    // NOTE: queue names carry an environment suffix; the DLQ's always contains "-dlq".
    if (batch.queue.includes("-dlq")) await handleDeadLetterBatch(batch, env);
    else await handleTelemetryBatch(batch, env);
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runTick(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env, unknown>;
