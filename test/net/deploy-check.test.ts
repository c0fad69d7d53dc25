// The deploy check (scripts/deploy.mjs, `npm run deploy`) refuses the committed placeholders
// before `wrangler deploy` runs, by the same rule the Worker applies at its first request.
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { deployProblems, type WranglerConfig } from "../../src/net/deploy-check";
import committed from "../../wrangler.toml?raw";

const config = parse(committed) as WranglerConfig;

/** The committed config with a real database id and, when given, PUBLIC_URL for `env`. */
function edited(env: string, publicUrl?: string): WranglerConfig {
  const target = config.env?.[env] ?? {};
  return {
    ...config,
    env: {
      ...config.env,
      [env]: {
        ...target,
        vars: { ...target.vars, ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}) },
        d1_databases: (target.d1_databases ?? []).map((db) => ({
          ...db,
          database_id: "6f0c1a52-3d9e-4b7a-9a51-1c2d3e4f5a6b",
        })),
      },
    },
  };
}

describe("deploy check", () => {
  it("refuses the committed production and staging configs, naming PUBLIC_URL and database_id", () => {
    for (const env of ["production", "staging"]) {
      const problems = deployProblems(config, env);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toContain("is a placeholder");
      expect(problems[0]).toContain(`env.${env}`);
      expect(problems[1]).toContain("placeholder database_id");
    }
  });

  it("accepts an environment with a public https origin and a real database id", () => {
    expect(
      deployProblems(edited("production", "https://driftwatch.acme.dev"), "production"),
    ).toEqual([]);
    expect(
      deployProblems(edited("staging", "https://driftwatch-staging.acme.workers.dev"), "staging"),
    ).toEqual([]);
  });

  it("lets a --var PUBLIC_URL override replace the placeholder, and refuses a bad one", () => {
    const fixed = edited("production");
    expect(deployProblems(fixed, "production")).toHaveLength(1);
    expect(
      deployProblems(fixed, "production", { PUBLIC_URL: "https://driftwatch.acme.workers.dev" }),
    ).toEqual([]);
    const [plain] = deployProblems(fixed, "production", { PUBLIC_URL: "http://10.0.0.8" });
    expect(plain).toContain("PUBLIC_URL (http://10.0.0.8)");
  });

  it("names an environment that does not exist", () => {
    expect(deployProblems(config, "prod")).toEqual(["wrangler.toml has no [env.prod]"]);
  });
});
