// The pure rules behind key expiry, last-use writes and ingest-key restrictions.
import { describe, expect, it } from "vitest";
import {
  allowedEntry,
  canonicalOrigin,
  isExpired,
  lastUseDue,
  originAllowed,
  restrictDeployments,
} from "../../src/http/key-limits";
import type { ValidEvent } from "../../src/ingest/parse-batch";

describe("key limits", () => {
  it("expires a key at its expiry instant, never one without", () => {
    expect(isExpired(null, 5)).toBe(false);
    expect(isExpired(undefined, 5)).toBe(false);
    expect(isExpired(6, 5)).toBe(false);
    expect(isExpired(5, 5)).toBe(true);
    expect(isExpired(4, 5)).toBe(true);
  });

  it("writes the last use when there is none or it is a minute old", () => {
    expect(lastUseDue(null, 1_000)).toBe(true);
    expect(lastUseDue(1_000, 60_999)).toBe(false);
    expect(lastUseDue(1_000, 61_000)).toBe(true);
  });

  it("canonicalises origins and refuses what is not one", () => {
    expect(canonicalOrigin("https://App.Example.com")).toBe("https://app.example.com");
    expect(canonicalOrigin("https://app.example.com/")).toBe("https://app.example.com");
    expect(canonicalOrigin("http://localhost:5173")).toBe("http://localhost:5173");
    expect(canonicalOrigin("https://app.example.com/path")).toBeNull();
    expect(canonicalOrigin("app.example.com")).toBeNull();
    expect(canonicalOrigin("null")).toBeNull();
  });

  it("checks the Origin only when the key has a list and the request has an Origin", () => {
    const list = ["https://app.example.com"];
    expect(originAllowed(null, "https://evil.example")).toBe(true);
    expect(originAllowed(list, undefined)).toBe(true);
    expect(originAllowed(list, "https://APP.example.com")).toBe(true);
    expect(originAllowed(list, "https://evil.example")).toBe(false);
    expect(originAllowed(list, "null")).toBe(false);
  });

  it("rejects events for other deployments by index and keeps the rest", () => {
    const ev = (index: number, deployment: string) =>
      ({ index, ts: 0, event: { deployment } }) as unknown as ValidEvent;
    const batch = [ev(0, "a"), ev(2, "b"), ev(3, "a")];
    expect(restrictDeployments(batch, null, "production").valid).toHaveLength(3);
    const { valid, rejected } = restrictDeployments(batch, ["a"], "production");
    expect(valid.map((v) => v.index)).toEqual([0, 3]);
    expect(rejected).toEqual([
      {
        index: 2,
        code: "deployment_not_allowed",
        path: "deployment",
        message:
          "this API key may not send events for deployment 'production/b' (allowed: production/a)",
      },
    ]);
  });

  it("matches environment and slug, a bare slug meaning the production environment", () => {
    const ev = (index: number, deployment: string, environment?: string) =>
      ({ index, ts: 0, event: { deployment, environment } }) as unknown as ValidEvent;
    const batch = [
      ev(0, "bot"),
      ev(1, "bot", "production"),
      ev(2, "bot", "env0"),
      ev(3, "bot", "staging"),
    ];
    const bare = restrictDeployments(batch, ["bot"], "production");
    expect(bare.valid.map((v) => v.index)).toEqual([0, 1]);
    expect(bare.rejected.map((r) => r.index)).toEqual([2, 3]);
    const staging = restrictDeployments(batch, ["staging/bot"], "production");
    expect(staging.valid.map((v) => v.index)).toEqual([3]);
    expect(allowedEntry("bot", "production")).toBe("production/bot");
    expect(allowedEntry("staging/bot", "production")).toBe("staging/bot");
  });
});
