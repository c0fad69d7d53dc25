// Typed bindings: the generated worker-configuration.d.ts (from `wrangler types`)
// plus secrets, which wrangler cannot see in the config.
declare global {
  namespace Cloudflare {
    interface Env {
      /** Root token that creates projects and keys (`wrangler secret put ADMIN_TOKEN`). */
      ADMIN_TOKEN: string;
      /** "1" enables the bare comparison route used by bench/ingest.mjs. */
      BENCH_ROUTES?: string;
    }
  }
}

export type AppEnv = Env;
