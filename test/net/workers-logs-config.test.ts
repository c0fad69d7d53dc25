// Workers Logs in every environment: console lines kept (errors), no execution log per
// invocation, which would bill two log events per single-event request (docs/architecture.md).
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import committed from "../../wrangler.toml?raw";

interface Observability {
  enabled?: boolean;
  logs?: { enabled?: boolean; invocation_logs?: boolean };
}
interface Config {
  observability?: Observability;
  env?: Record<string, { observability?: Observability }>;
}

const config = parse(committed) as Config;

/** What wrangler deploys for `env`: its own observability, or the top level's it inherits. */
const effective = (env?: string) =>
  (env ? config.env?.[env]?.observability : undefined) ?? config.observability;

describe("Workers Logs configuration", () => {
  it("keeps console lines and writes no execution log per invocation, in every environment", () => {
    const envs = [undefined, ...Object.keys(config.env ?? {})];
    expect(envs).toEqual([undefined, "staging", "production"]);
    for (const env of envs) {
      const obs = effective(env);
      expect(obs?.enabled, `observability.enabled in ${env ?? "top level"}`).toBe(true);
      expect(obs?.logs?.enabled, `logs.enabled in ${env ?? "top level"}`).not.toBe(false);
      expect(obs?.logs?.invocation_logs, `invocation_logs in ${env ?? "top level"}`).toBe(false);
    }
  });
});
