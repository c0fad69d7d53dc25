// /docs runs no third-party code on the dashboard's origin: its scripts come from this
// Worker's static assets (the pinned @scalar/api-reference copied by scripts/docs-assets.mjs),
// and its Content-Security-Policy allows scripts from /docs/assets/ only.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";

const get = (path: string) => exports.default.fetch(new Request(`${BASE}${path}`));

describe("API reference page", () => {
  it("loads its scripts from /docs/assets/ on this origin only, with no inline script", async () => {
    const res = await get("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    const sources = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]?.trim());
    expect(sources).toEqual(['src="/docs/assets/api-reference.js"', 'src="/docs/assets/init.js"']);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
  });

  it("sends a Content-Security-Policy that allows scripts from /docs/assets/ only", async () => {
    const res = await get("/docs");
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("script-src")).toEqual([`${BASE}/docs/assets/`]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("serves the pinned reference script and its starter from the Worker's assets", async () => {
    // Static assets answer before the Worker; tests reach them through the ASSETS binding.
    const asset = (path: string) => env.ASSETS.fetch(new Request(`${BASE}${path}`));
    const bundle = await asset("/docs/assets/api-reference.js");
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toContain("createApiReference");
    const init = await asset("/docs/assets/init.js");
    expect(init.status).toBe(200);
    const text = await init.text();
    expect(text).toContain('url: "/openapi.json"');
    expect(text).toContain("withDefaultFonts: false");
  });
});
