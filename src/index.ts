// Worker entry: wires the HTTP app, the queue consumers, the cron tick and the
// Durable Object classes. Nothing else lives here.

import { handleEvaluationBatch } from "./alerts/evaluation-consumer";
import { app } from "./api/app";
import { handleDeadLetterBatch } from "./queue/dead-letters";
import {
  handleNotificationBatch,
  handleNotificationDeadLetters,
} from "./queue/notification-consumer";
import { queueKind } from "./queue/queue-kind";
import { handleTelemetryBatch } from "./queue/telemetry-consumer";
import { runTick } from "./tick";

export { DeploymentMonitor } from "./monitor/deployment-monitor";

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    switch (queueKind(batch.queue)) {
      case "telemetry":
        return handleTelemetryBatch(batch, env);
      case "telemetry-dlq":
        return handleDeadLetterBatch(batch, env);
      case "notifications":
        return handleNotificationBatch(batch, env);
      case "notifications-dlq":
        return handleNotificationDeadLetters(batch, env);
      case "evaluations":
        return handleEvaluationBatch(batch, env);
      default:
        console.error(`no handler for queue ${batch.queue}; retrying`);
        batch.retryAll();
    }
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runTick(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env, unknown>;
