// What a deploy of one environment must not ship: a PUBLIC_URL that the Worker would refuse
// at its first request (missing, not public https, or the committed example.com placeholder),
// and the all-zero D1 database_id placeholder. Pure: scripts/deploy.mjs runs it on the parsed
// wrangler.toml before `wrangler deploy`, so an unedited config fails before it goes live.
import { publicUrlProblem } from "./public-origin";

interface EnvironmentConfig {
  vars?: Record<string, unknown>;
  d1_databases?: { binding?: string; database_id?: string }[];
}

export interface WranglerConfig extends EnvironmentConfig {
  env?: Record<string, EnvironmentConfig>;
}

const PLACEHOLDER_DATABASE_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

/**
 * Why `envName` cannot be deployed as configured (empty when it can). `vars` are the
 * `--var NAME:VALUE` overrides given to the deploy, which win over wrangler.toml's.
 */
export function deployProblems(
  config: WranglerConfig,
  envName: string,
  vars: Record<string, string> = {},
): string[] {
  const target = config.env?.[envName];
  if (!target) return [`wrangler.toml has no [env.${envName}]`];
  const merged = { ...(target.vars ?? {}), ...vars };
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const problems: string[] = [];
  const url = publicUrlProblem({
    ENVIRONMENT: text(merged.ENVIRONMENT) ?? envName,
    PUBLIC_URL: text(merged.PUBLIC_URL),
  });
  if (url) problems.push(url);
  for (const db of target.d1_databases ?? []) {
    if (db.database_id === undefined || PLACEHOLDER_DATABASE_ID.test(db.database_id)) {
      problems.push(
        `D1 binding ${db.binding ?? "?"} of env.${envName} has the placeholder database_id: put the id \`wrangler d1 create\` printed into wrangler.toml`,
      );
    }
  }
  return problems;
}
