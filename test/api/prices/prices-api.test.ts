// GET /v1/prices: the built-in table with its as-of date and the project's overrides;
// negative override prices are refused where they are set.
import { describe, expect, it } from "vitest";
import { PRICE_TABLE } from "../../../src/ingest/prices";
import { ADMIN, call, createProject } from "../../helpers";

interface Prices {
  as_of: string;
  age_days: number;
  models: Record<string, { input: number; output: number; cached_input?: number }>;
  overrides: Record<string, { input: number; output: number }>;
}

describe("GET /v1/prices", () => {
  it("lists the built-in table with its as-of date, cached-input rates, and the project's overrides", async () => {
    const p = await createProject();
    const patch = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: ADMIN,
      json: { name: "priced" },
    });
    expect(patch.status).toBe(200);
    const res = await call("/v1/prices", { key: p.read });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Prices;
    expect(body.as_of).toBe(PRICE_TABLE.asOf);
    // How stale the built-in prices may be, in whole days since as_of.
    expect(body.age_days).toBe(
      Math.floor((Date.now() - Date.parse(`${PRICE_TABLE.asOf}T00:00:00Z`)) / 86_400_000),
    );
    for (const [name, price] of Object.entries(body.models)) {
      expect([name, typeof price.input, typeof price.output]).toEqual([name, "number", "number"]);
    }
    expect(body.models["gpt-4o"]).toEqual({ input: 2.5, output: 10, cached_input: 1.25 });
    expect(Object.keys(body.models).length).toBe(Object.keys(PRICE_TABLE.models).length);
    expect(body.overrides).toEqual({});
  });

  it("shows a project's overrides", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      key: ADMIN,
      json: { name: "overrides", price_overrides: { "my-finetune": { input: 3, output: 12 } } },
    });
    const { project } = (await res.json()) as { project: { id: string } };
    const prices = await call(`/v1/prices?project=${project.id}`, { key: ADMIN });
    expect(((await prices.json()) as Prices).overrides).toEqual({
      "my-finetune": { input: 3, output: 12 },
    });
  });

  it("sets and replaces a project's overrides with PATCH /v1/projects/{id}", async () => {
    const p = await createProject();
    const patch = (json: unknown) =>
      call(`/v1/projects/${p.id}`, { method: "PATCH", key: ADMIN, json });
    expect((await patch({ price_overrides: { "gpt-4o": { input: 2, output: 8 } } })).status).toBe(
      200,
    );
    const read = async () =>
      ((await (await call("/v1/prices", { key: p.read })).json()) as Prices).overrides;
    expect(await read()).toEqual({ "gpt-4o": { input: 2, output: 8 } });
    expect((await patch({ price_overrides: {} })).status).toBe(200);
    expect(await read()).toEqual({});
    const bad = await patch({ price_overrides: { "gpt-4o": { input: -1, output: 8 } } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("price_overrides.gpt-4o.input");
  });

  it("refuses a negative override price with 400 naming the field", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      key: ADMIN,
      json: { name: "bad", price_overrides: { "my-model": { input: -1, output: 2 } } },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("price_overrides.my-model.input");
  });

  it("answers 401 without a key and 403 for an ingest key", async () => {
    const p = await createProject();
    expect((await call("/v1/prices")).status).toBe(401);
    expect((await call("/v1/prices", { key: p.ingest })).status).toBe(403);
  });
});
