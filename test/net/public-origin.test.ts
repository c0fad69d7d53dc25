// PUBLIC_URL (issue 9, defect 9): optional in development, required outside it as a public
// https origin; missing, loopback, private or placeholder values stop the Worker loudly
// (every request answers 500 "misconfigured", every cron tick throws), naming the setting.
/// <reference types="vite/client" />
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { runTick } from "../../src/entrances/tick";
import {
  DEV_ORIGIN,
  outboundOptions,
  publicOrigin,
  publicUrlProblem,
} from "../../src/net/public-origin";

const production = (PUBLIC_URL?: string) => ({ ENVIRONMENT: "production", PUBLIC_URL });

describe("publicOrigin", () => {
  it("defaults to the local Worker in development, and takes any http(s) origin there", () => {
    expect(publicOrigin({ ENVIRONMENT: "development" })).toBe(DEV_ORIGIN);
    expect(publicOrigin({ ENVIRONMENT: "development", PUBLIC_URL: "http://127.0.0.1:8799" })).toBe(
      "http://127.0.0.1:8799",
    );
  });

  it("is the configured origin elsewhere, without a trailing path", () => {
    expect(publicOrigin(production("https://driftwatch.acme.dev/"))).toBe(
      "https://driftwatch.acme.dev",
    );
    expect(
      publicOrigin({ ENVIRONMENT: "staging", PUBLIC_URL: "https://dw-staging.acme.dev" }),
    ).toBe("https://dw-staging.acme.dev");
  });

  const refused: [value: string | undefined, message: RegExp][] = [
    [
      undefined,
      /^PUBLIC_URL is not set for the production environment: set vars\.PUBLIC_URL \(env\.production in wrangler\.toml\)/,
    ],
    ["", /^PUBLIC_URL is not set/],
    ["http://127.0.0.1:8787", /^PUBLIC_URL \(http:\/\/127\.0\.0\.1:8787\) must be an https URL/],
    ["https://127.0.0.1:8787", /loopback address/],
    ["https://localhost", /local host name/],
    ["https://10.1.2.3", /private address/],
    ["not a url", /must be a valid absolute URL/],
    ["https://driftwatch.example.com", /is a placeholder: replace vars\.PUBLIC_URL/],
    ["https://driftwatch-staging.example.com", /is a placeholder/],
    ["https://driftwatch.invalid", /is a placeholder/],
  ];
  it.each(refused)("refuses %j outside development, naming the setting", (value, message) => {
    expect(publicUrlProblem(production(value))).toMatch(message);
    expect(() => publicOrigin(production(value))).toThrow(message);
  });

  it("is what outbound requests must not loop back to", () => {
    expect(outboundOptions(production("https://driftwatch.acme.dev"))).toEqual({
      allowPrivate: false,
      ownOrigin: "https://driftwatch.acme.dev",
    });
    expect(outboundOptions({ ENVIRONMENT: "development" })).toEqual({
      allowPrivate: true,
      ownOrigin: DEV_ORIGIN,
    });
  });
});

describe("a Worker deployed without a usable PUBLIC_URL", () => {
  const misconfigured = {
    ...env,
    ENVIRONMENT: "production",
    PUBLIC_URL: undefined,
  } as unknown as Env;

  it("answers every request 500 misconfigured, saying what to set", async () => {
    for (const path of ["/healthz", "/v1/events"]) {
      const res = await app.fetch(
        new Request(`http://dw.test${path}`),
        misconfigured,
        createExecutionContext(),
      );
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("misconfigured");
      expect(body.error.message).toMatch(/^PUBLIC_URL is not set for the production environment/);
    }
  });

  it("fails every cron tick", async () => {
    await expect(runTick(misconfigured, Date.now())).rejects.toThrow(/PUBLIC_URL is not set/);
  });

  it("serves normally once PUBLIC_URL is a public https origin", async () => {
    const fixed = { ...misconfigured, PUBLIC_URL: "https://driftwatch.acme.dev" } as Env;
    const res = await app.fetch(
      new Request("http://dw.test/healthz"),
      fixed,
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
  });
});

describe("wrangler.toml", () => {
  const raw = Object.values(
    import.meta.glob<string>("../../wrangler.toml", {
      query: "?raw",
      import: "default",
      eager: true,
    }),
  )[0];

  it("sets PUBLIC_URL for every environment, and the deploy placeholders stop the Worker", () => {
    expect(raw).toBeDefined();
    const config = parseToml(raw ?? "") as {
      vars: { ENVIRONMENT: string; PUBLIC_URL?: string };
      env: Record<string, { vars: { ENVIRONMENT: string; PUBLIC_URL?: string } }>;
    };
    expect(publicUrlProblem(config.vars)).toBeNull();
    expect(Object.keys(config.env).sort()).toEqual(["production", "staging"]);
    for (const [name, block] of Object.entries(config.env)) {
      expect(block.vars.ENVIRONMENT).toBe(name);
      expect(block.vars.PUBLIC_URL, name).toMatch(/^https:\/\//);
      expect(publicUrlProblem(block.vars), name).toMatch(/is a placeholder: replace/);
    }
  });
});
