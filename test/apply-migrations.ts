// Applies the committed D1 migrations before each test file (idempotent), and loads the
// Durable Object's implementation module (below).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// DeploymentMonitor imports its implementation lazily, in its constructor (cold start).
// Under vitest that import goes through the module runner, whose I/O belongs to the first
// object that asked: objects constructed concurrently then await it from another object's
// context, and workerd refuses ("Cannot perform I/O on behalf of a different Durable
// Object"). A deployed Worker has the module in its bundle, so this is the runner's
// artifact; loading the module once before any object starts keeps tests from it.
await import("../src/monitor/monitor-core");
