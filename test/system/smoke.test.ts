import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("runtime", () => {
  it("answers health checks and has a D1 with migrations applied", async () => {
    const res = await exports.default.fetch("http://x/healthz");
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("select count(*) as n from projects").first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});
