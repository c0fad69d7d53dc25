// Test-only bindings added in vitest.config.ts.
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** KEY_RATE_LIMIT's binding with a budget of 3 requests per 10 s (test/http/rate-limit.test.ts). */
      TIGHT_RATE_LIMIT: RateLimit;
      /** AUTH_FAILURE_RATE_LIMIT's binding with 3 failures per 10 s (test/http/auth-failures.test.ts). */
      TIGHT_AUTH_FAILURE_LIMIT: RateLimit;
    }
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the local HTTP receiver started by test/receiver.global.ts. */
    receiverUrl: string;
    /** Base URL of the fake AI endpoint started by test/ai-endpoint.global.ts. */
    aiUrl: string;
    /** URL that validates a POSTed OpenAPI document (test/openapi-validator.global.ts). */
    openapiValidatorUrl: string;
  }
}
