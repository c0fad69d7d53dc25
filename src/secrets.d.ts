// Secrets and optional vars, which `wrangler types` cannot see in wrangler.jsonc.
interface DriftwatchSecrets {
  /** Root token that creates projects and keys (`wrangler secret put ADMIN_TOKEN`). */
  ADMIN_TOKEN: string;
  /** "1" enables the bare comparison route used by bench/ingest.mjs. */
  BENCH_ROUTES?: string;
}

interface Env extends DriftwatchSecrets {}
declare namespace Cloudflare {
  interface Env extends DriftwatchSecrets {}
}
