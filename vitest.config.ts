// Tests run inside workerd with the real D1, Queue and Durable Object bindings from
// wrangler.toml; migrations are the same SQL files wrangler applies.
//
// Two projects (scripts/test-groups.mjs): files that touch bindings each get a fresh
// workerd and storage; pure-logic files share one workerd and its module cache, which
// takes most of the per-file start-up out of `npm test`.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  // /docs's script, served as static assets (wrangler.toml's [build] does this for wrangler).
  const { copyDocsAssets } = await import("./scripts/docs-assets.mjs");
  copyDocsAssets();
  const { testGroups } = await import("./scripts/test-groups.mjs");
  const groups = testGroups(import.meta.dirname);
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const runtime = cloudflareTest({
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: {
      bindings: {
        TEST_MIGRATIONS: migrations,
        ADMIN_TOKEN: "test-admin-token",
        // Alert-delivery backoff in seconds: short, so retry tests run in seconds.
        DELIVERY_BACKOFF_BASE_SECONDS: "1",
        // Receivers get 2 s instead of 10 before an attempt times out (test/alerts/delivery/delivery.test.ts).
        DELIVERY_TIMEOUT_SECONDS: "2",
      },
      // The per-key rate limiter with a budget a test can exhaust (test/http/rate-limit.test.ts),
      // and the failed-authentication limiter per address (test/http/auth-failures.test.ts).
      ratelimits: {
        TIGHT_RATE_LIMIT: { namespace_id: "9001", simple: { limit: 3, period: 10 } },
        TIGHT_AUTH_FAILURE_LIMIT: { namespace_id: "9002", simple: { limit: 3, period: 10 } },
      },
    },
  });
  return {
    test: {
      testTimeout: 30_000,
      projects: [
        {
          plugins: [runtime],
          test: {
            name: "bindings",
            include: groups.bindings,
            testTimeout: 30_000,
            setupFiles: ["./test/apply-migrations.ts"],
            globalSetup: [
              "./test/receiver.global.ts",
              "./test/ai-endpoint.global.ts",
              "./test/openapi-validator.global.ts",
            ],
          },
        },
        {
          plugins: [runtime],
          test: { name: "logic", include: groups.logic, testTimeout: 30_000, isolate: false },
        },
      ],
    },
  };
});
