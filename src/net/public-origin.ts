// The service's public origin (PUBLIC_URL): the base of every link in an alert, and the
// one host outbound requests must never loop back to. Local development may leave it out
// (links then point at the local Worker); every other environment must set it to a
// public https origin, and a missing, loopback or placeholder value stops the Worker
// with a clear error on its first request and every cron tick, rather than sending
// alerts whose links lead nowhere.
import { checkOutboundUrl, type OutboundUrlOptions } from "./outbound-url";

/** Where `wrangler dev` serves the Worker; links in local alerts point here by default. */
export const DEV_ORIGIN = "http://127.0.0.1:8787";

/** The settings read here; wider than Env's literal types so any value can be judged. */
interface OriginEnv {
  ENVIRONMENT: string;
  PUBLIC_URL?: string | undefined;
}

export const isDevelopment = (env: { ENVIRONMENT: string }) => env.ENVIRONMENT === "development";

/** Hosts reserved for examples and placeholders (RFC 2606, RFC 6761). */
const PLACEHOLDER = /(^|\.)(example\.(com|net|org)|example|invalid|test)$/;

/** Why PUBLIC_URL is unusable in this environment, or null when it is fine. */
export function publicUrlProblem(env: OriginEnv): string | null {
  const where = `vars.PUBLIC_URL (env.${env.ENVIRONMENT} in wrangler.toml)`;
  const value = env.PUBLIC_URL?.trim();
  if (isDevelopment(env)) {
    if (!value) return null;
    const dev = checkOutboundUrl(value, { allowPrivate: true });
    return dev.ok ? null : `PUBLIC_URL (${value}) ${dev.reason}`;
  }
  if (!value) {
    return `PUBLIC_URL is not set for the ${env.ENVIRONMENT} environment: set ${where} to this Worker's public https origin, which alert links point at`;
  }
  const checked = checkOutboundUrl(value, { allowPrivate: false });
  if (!checked.ok)
    return `PUBLIC_URL (${value}) ${checked.reason}: set ${where} to this Worker's public https origin`;
  if (PLACEHOLDER.test(checked.url.hostname.replace(/\.$/, ""))) {
    return `PUBLIC_URL (${value}) is a placeholder: replace ${where} with this Worker's public origin before deploying`;
  }
  return null;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The origin for links, e.g. "https://driftwatch.acme.dev"; throws ConfigError if unusable. */
export function publicOrigin(env: OriginEnv): string {
  const problem = publicUrlProblem(env);
  if (problem) throw new ConfigError(problem);
  const value = env.PUBLIC_URL?.trim();
  return value ? new URL(value).origin : DEV_ORIGIN;
}

/** Where alert deliveries and probes may go: public https only, outside development. */
export function outboundOptions(env: OriginEnv): OutboundUrlOptions {
  const own = env.PUBLIC_URL?.trim() || (isDevelopment(env) ? DEV_ORIGIN : undefined);
  return { allowPrivate: isDevelopment(env), ...(own ? { ownOrigin: own } : {}) };
}
