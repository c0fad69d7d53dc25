// Secrets and optional vars, which `wrangler types` cannot see in wrangler.toml.
interface DriftwatchSecrets {
  /** Root token that creates projects and keys (`wrangler secret put ADMIN_TOKEN`). */
  ADMIN_TOKEN: string;
  /** "1" enables the bench routes (src/api/bench-routes.ts: bench/ingest, bench/status-page). */
  BENCH_ROUTES?: string;
  /** Base of the alert-delivery backoff in seconds (default 10); tests set it low. */
  DELIVERY_BACKOFF_BASE_SECONDS?: string;
  /** Requests per key between two KEY_RATE_LIMIT calls (default 16; src/http/rate-limit.ts). */
  RATE_LIMIT_CONSULT_EVERY?: string;
  /** Deployments one project may have (default 100; src/ingest/deployment-cap.ts). */
  MAX_DEPLOYMENTS_PER_PROJECT?: string;
  /** Probes one project may have (default 50; src/http/probe-limits.ts). */
  MAX_PROBES_PER_PROJECT?: string;
  /** New deployments one API key may create (default 20; src/ingest/deployment-cap.ts). */
  MAX_NEW_DEPLOYMENTS_PER_KEY?: string;
  /** Seconds a webhook or Slack receiver has to answer (default 10). */
  DELIVERY_TIMEOUT_SECONDS?: string;
  /**
   * Public https origin for links in alerts; required outside development, where its
   * absence stops the Worker with a clear error (src/net/public-origin.ts).
   */
  PUBLIC_URL?: string;
}

interface Env extends DriftwatchSecrets {}
declare namespace Cloudflare {
  interface Env extends DriftwatchSecrets {}
}
