/// <reference types="vite/client" />
// Fault hooks are for tests only: no production module assigns one, so every fault
// point is inert outside the test suite.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob<string>("../../src/**/*.{ts,tsx}", {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("fault points", () => {
  it("are set by no module under src/", () => {
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThan(50);
    const setters = files.filter((file) =>
      /faultHooks\s*(\[|\.)[^;]*?=(?!=)/.test(sources[file] ?? ""),
    );
    expect(setters).toEqual([]);
    // The module that declares them is found, so the scan reads real sources.
    expect(files).toContain("../../src/fault-points.ts");
  });
});
