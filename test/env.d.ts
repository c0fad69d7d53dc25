// Test-only bindings added in vitest.config.ts.
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the local HTTP receiver started by test/receiver.global.ts. */
    receiverUrl: string;
  }
}
