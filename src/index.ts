// Worker entry: wires the HTTP app, the queue consumers, the cron tick and the
// Durable Object classes. Nothing else lives here.
//
// Cold start: everything behind a handler is imported on the handler's first call, not
// at startup. The bundler keeps one script and wraps each lazily imported module in an
// initialiser, so the isolate's startup evaluates only this file, the queue-name map and
// the Durable Object class; the HTTP app (zod schemas, drizzle tables, routes) is built
// by the first request that needs it (bench/startup.mjs measures the difference).

import { queueKind } from "./entrances/queue-kind";

export { DeploymentMonitor } from "./monitor/deployment-monitor";

const loadApp = () => import("./app").then((m) => m.app);

export default {
  async fetch(request, env, ctx) {
    return (await loadApp()).fetch(request, env, ctx);
  },
  async queue(batch, env, _ctx) {
    switch (queueKind(batch.queue)) {
      case "telemetry":
        return (await import("./entrances/telemetry-consumer")).handleTelemetryBatch(batch, env);
      case "telemetry-dlq":
        return (await import("./entrances/dead-letters")).handleDeadLetterBatch(batch, env);
      case "notifications":
        return (await import("./entrances/notification-consumer")).handleNotificationBatch(
          batch,
          env,
        );
      case "notifications-dlq":
        return (await import("./entrances/notification-consumer")).handleNotificationDeadLetters(
          batch,
          env,
        );
      case "evaluations":
        return (await import("./entrances/evaluation-consumer")).handleEvaluationBatch(batch, env);
      default:
        console.error(`no handler for queue ${batch.queue}; retrying`);
        batch.retryAll();
    }
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(import("./entrances/tick").then((m) => m.runTick(env, controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env, unknown>;
