// Issue 9, defect 8: deeply nested OTLP values answer 400, not 500 (a recursive
// validator would overflow the stack), and the depth check itself never recurses.
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, pathDeeperThan } from "../../src/ingest/json-depth";
import { call, createProject, uniqueSlug } from "../helpers";

/** An OTLP arrayValue nested `depth` times around a string. */
function nestedValue(depth: number): unknown {
  let value: unknown = { stringValue: "x" };
  for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } };
  return value;
}

function exportWith(slug: string, value: unknown) {
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: slug } }] },
        scopeSpans: [
          {
            spans: [
              {
                spanId: "00000000000000b1",
                startTimeUnixNano: start.toString(),
                endTimeUnixNano: (start + 5_000_000n).toString(),
                attributes: [
                  { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
                  { key: "gen_ai.prompt.tags", value },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe("pathDeeperThan", () => {
  it.each([
    [1, 1, undefined],
    [{ a: 1 }, 1, undefined],
    [{ a: { b: 1 } }, 1, "a"],
    [[[[1]]], 3, undefined],
    [[[[[1]]]], 3, "0.0.0"],
    ["text", 0, undefined],
  ])("finds the first value of %j nested deeper than %d: %s", (value, max, path) => {
    expect(pathDeeperThan(value, max)).toBe(path);
  });

  it("walks a value nested 100,000 deep without overflowing the stack", () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(pathDeeperThan(value, MAX_JSON_DEPTH)).toBe(Array(MAX_JSON_DEPTH).fill("0").join("."));
  });
});

describe("POST /v1/traces with deep nesting", () => {
  it("answers 400 naming the depth for an arrayValue nested 1,000 deep", async () => {
    const p = await createProject();
    const res = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: exportWith(uniqueSlug(), nestedValue(1_000)),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it("accepts a span whose values nest a few levels", async () => {
    const p = await createProject();
    const res = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: exportWith(uniqueSlug(), nestedValue(5)),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });
});
