// Issue 9, "prove it stays fixed": property-based fuzzing of the public ingest routes
// (/v1/events as JSON and as a text/plain beacon, /v1/traces OTLP). Whatever is sent
// beside them (malformed JSON, wrong types, huge and non-finite numbers in every
// numeric field, deep nesting, lone surrogates and wide text, __proto__ keys,
// oversized tags), no answer is a 5xx and every valid event is counted exactly once
// in its deployment's window.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  call,
  createProject,
  newIngestKey,
  storedEventCount,
  type TestProject,
  uniqueSlug,
  waitFor,
} from "../../helpers";

const NUMERIC_FIELDS = [
  "latency_ms",
  "ttft_ms",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "output_chars",
  "rating",
  "feedback",
  "ts",
] as const;

/** Stand-ins for numbers JSON.stringify cannot write; replaced in the body text. */
const RAW = { "@inf": "1e309", "@-inf": "-1e309", "@huge": "1e308", "@tiny": "-1e308" } as const;
const raw = fc.constantFrom(...Object.keys(RAW));
const toJson = (value: unknown) =>
  JSON.stringify(value).replace(/"(@inf|@-inf|@huge|@tiny)"/g, (_, k: keyof typeof RAW) => RAW[k]);

const edgeText = fc.constantFrom(
  "\ud800",
  "x\udfff",
  "a\ud83d",
  "日本語のタグ",
  "🙂🙂",
  "\u0000",
  "\u2028",
  "é",
  "",
);
const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: max }),
    edgeText,
    fc.string({ unit: "binary", maxLength: max / 2 }),
  );
const nonEmpty = (max: number) => text(max).filter((s) => s.length >= 1 && s.length <= max);
// A tag or score named __proto__ is refused (test/ingest/event-issues.test.ts), so not "valid".
const recordKey = nonEmpty(30).filter((k) => k !== "__proto__");

/** A valid interaction for `slug` (no id: the server makes one; no ts: receive time). */
const validEvent = (slug: string) =>
  fc.record(
    {
      deployment: fc.constant(slug),
      model: nonEmpty(60),
      latency_ms: fc.double({ min: 0, max: 86_400_000, noNaN: true }),
      ttft_ms: fc.integer({ min: 0, max: 60_000 }),
      input_tokens: fc.integer({ min: 0, max: 100_000_000 }),
      output_tokens: fc.integer({ min: 0, max: 5_000 }),
      cost_usd: fc.double({ min: 0, max: 10_000, noNaN: true }),
      status: fc.constantFrom("ok", "error", "timeout"),
      feedback: fc.constantFrom(-1, 0, 1),
      rating: fc.double({ min: 0, max: 1, noNaN: true }),
      evals: fc.dictionary(recordKey, fc.double({ min: -1e9, max: 1e9, noNaN: true }), {
        maxKeys: 4,
        noNullPrototype: true,
      }),
      tags: fc.dictionary(recordKey, text(60), { maxKeys: 4, noNullPrototype: true }),
      user: nonEmpty(60),
    },
    { requiredKeys: ["deployment"], noNullPrototype: true },
  );

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
};

/** An OTLP AnyValue: arrayValue nested `levels` times around a string. */
const deepAny = (levels: number): unknown => {
  let v: unknown = { stringValue: "x" };
  for (let i = 0; i < levels; i++) v = { arrayValue: { values: [v] } };
  return v;
};

/** Items certainly invalid, each naming `slug` so a wrongly accepted one would be counted. */
const junkItem = (slug: string) =>
  fc.oneof(
    // A huge, non-finite or wrongly typed value in one numeric field.
    fc
      .tuple(
        fc.constantFrom(...NUMERIC_FIELDS),
        fc.oneof(raw, fc.constantFrom(-1.5, 2 ** 60, "5", null, [], {})),
      )
      .map(([field, value]) => ({ deployment: slug, [field]: value })),
    // Wrong types in the other fields.
    fc.constantFrom(
      { deployment: slug, status: 1 },
      { deployment: slug, tags: "x" },
      { deployment: slug, evals: { judge: "@inf" } },
      { deployment: slug, retrieval: { hits: "@huge" } },
      { deployment: slug, escalated: "yes" },
      { deployment: 42 },
      null,
      7,
      "event",
      [],
    ),
    // Deep nesting, unknown and prototype keys, oversized tags.
    fc.integer({ min: 2, max: 3_000 }).map((d) => ({ deployment: slug, tags: { deep: deep(d) } })),
    fc
      .constantFrom("__proto__", "constructor", "toString", "latencyMs")
      .map((key) =>
        JSON.parse(
          `{"deployment": ${JSON.stringify(slug)}, ${JSON.stringify(key)}: {"polluted": 1}}`,
        ),
      ),
    fc.integer({ min: 17, max: 40 }).map((n) => ({
      deployment: slug,
      tags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"])),
    })),
    fc.constant({ deployment: slug, tags: { intent: "x".repeat(129) } }),
    fc.constant({ deployment: slug, tags: { ["日".repeat(65)]: "v" } }),
  );

type Shape = "array" | "wrapped" | "single";
const bodyOf = (items: unknown[], shape: Shape) =>
  shape === "wrapped"
    ? { events: items }
    : shape === "single" && items.length === 1
      ? items[0]
      : items;

interface Sent {
  slug: string;
  expected: number;
}

async function send(key: string, bodyText: string, beacon: boolean) {
  return beacon
    ? call(`/v1/events?key=${key}`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8" },
        body: bodyText,
      })
    : call("/v1/events", {
        method: "POST",
        key,
        headers: { "content-type": "application/json" },
        body: bodyText,
      });
}

async function expectCounted(p: TestProject, sent: Sent[]) {
  const total = sent.reduce((n, s) => n + s.expected, 0);
  expect(
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= total,
      30_000,
    ),
  ).toBe(total);
  for (const { slug, expected } of sent) {
    if (expected === 0) continue;
    const snap = await env.DEPLOYMENT_MONITOR.getByName(`${p.id}:production:${slug}`).snapshot({
      from: Date.now() - 3_600_000,
      to: Date.now() + 1,
    });
    expect(snap.summary.count, slug).toBe(expected);
  }
}

// NOTE: each property sends one request per run and waits for the queue once at the end.
describe("ingest fuzz", { timeout: 90_000 }, () => {
  it("/v1/events: never a 5xx, and the valid events beside any junk are counted exactly", async () => {
    const p = await createProject("fuzz-events");
    const sent: Sent[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 8 }).chain(() => {
          const slug = uniqueSlug("fuzz");
          return fc.record({
            slug: fc.constant(slug),
            valid: fc.array(validEvent(slug), { maxLength: 12 }),
            junk: fc.array(junkItem(slug), { maxLength: 6 }),
            order: fc.array(fc.nat(), { maxLength: 18 }),
            shape: fc.constantFrom<Shape>("array", "wrapped", "single"),
            beacon: fc.boolean(),
          });
        }),
        async ({ slug, valid, junk, order, shape, beacon }) => {
          const items: unknown[] = [...valid, ...junk];
          // Shuffle deterministically from the generated order.
          for (let i = items.length - 1; i > 0; i--) {
            const j = (order[i] ?? 0) % (i + 1);
            [items[i], items[j]] = [items[j], items[i]];
          }
          // A key per run: each key creates at most 20 new deployments.
          const res = await send(await newIngestKey(p.id), toJson(bodyOf(items, shape)), beacon);
          expect(res.status, await res.clone().text()).toBeLessThan(500);
          const accepted =
            res.status === 202 ? ((await res.json()) as { accepted: number }).accepted : 0;
          // Empty bodies and a lone non-object are refused whole; otherwise exactly the valid ones.
          const whole =
            items.length > 0 && (shape !== "single" || items.length !== 1 || valid.length === 1);
          expect(accepted).toBe(whole ? valid.length : 0);
          sent.push({ slug, expected: accepted });
        },
      ),
      { numRuns: 30 },
    );
    await expectCounted(p, sent);
  });

  it("/v1/events: malformed and truncated bodies answer 4xx and count nothing", async () => {
    const p = await createProject("fuzz-malformed");
    const slug = uniqueSlug("broken");
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(validEvent(slug), { minLength: 1, maxLength: 5 }).chain((events) => {
            const full = toJson(events);
            return fc.integer({ min: 0, max: full.length - 1 }).map((cut) => full.slice(0, cut));
          }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.constantFrom(
            "[",
            "{",
            '{"events": [}',
            "\ud800",
            "nul",
            "[1e309]",
            `{"deployment": "${slug}",}`,
          ),
        ),
        fc.boolean(),
        async (bodyText, beacon) => {
          const res = await send(p.ingest, bodyText, beacon);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    expect(await storedEventCount(p.id)).toBe(0);
  });

  it("/v1/events: a 1,000-event batch of wide text beside junk counts its valid events exactly", async () => {
    const p = await createProject("fuzz-wide");
    const slug = uniqueSlug("wide");
    const valid = Array.from({ length: 990 }, (_, i) => ({
      deployment: slug,
      latency_ms: i,
      tags: { intent: "払い戻し\ud800".repeat(12), locale: "🙂".repeat(30) },
    }));
    const junk = Array.from({ length: 10 }, (_, i) => ({
      deployment: slug,
      latency_ms: i % 2 ? "@inf" : "@huge",
    }));
    const res = await send(
      p.ingest,
      toJson([...junk.slice(0, 5), ...valid, ...junk.slice(5)]),
      true,
    );
    expect(res.status).toBe(202);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(990);
    await expectCounted(p, [{ slug, expected: 990 }]);
  });

  it("/v1/traces: never a 5xx, and the valid GenAI spans beside any junk are counted exactly", async () => {
    const p = await createProject("fuzz-otlp");
    const sent: Sent[] = [];
    let spanSeq = 1;
    const start = () => BigInt(Date.now() - 60_000) * 1_000_000n;
    const goodSpan = (tokens: number, model: string) => ({
      spanId: (0x2000_0000_0000n + BigInt(spanSeq++)).toString(16).padStart(16, "0"),
      startTimeUnixNano: start().toString(),
      endTimeUnixNano: (start() + 900_000_000n).toString(),
      attributes: [
        { key: "gen_ai.request.model", value: { stringValue: model } },
        { key: "gen_ai.usage.input_tokens", value: { intValue: tokens } },
      ],
    });
    const junkSpan = fc.oneof(
      fc.constantFrom(
        {
          spanId: "zz",
          startTimeUnixNano: "1",
          attributes: [{ key: "gen_ai.system", value: { stringValue: "x" } }],
        },
        { spanId: 5, attributes: [{ key: "gen_ai.x", value: {} }] },
        {
          spanId: "00000000000000ff",
          startTimeUnixNano: "0",
          attributes: [{ key: "gen_ai.y", value: { doubleValue: "@inf" } }],
        },
      ),
      fc.constantFrom("@inf", "@huge", "1e400", "-5").map((v) => ({
        ...goodSpan(1, "m"),
        attributes: [
          { key: "gen_ai.request.model", value: { stringValue: "m" } },
          { key: "gen_ai.usage.input_tokens", value: { doubleValue: v } },
          { key: "gen_ai.server.time_to_first_token", value: { doubleValue: "@huge" } },
        ],
      })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), nonEmpty(40)), { maxLength: 8 }),
        fc.array(junkSpan, { maxLength: 4 }),
        fc.option(fc.integer({ min: 1, max: 700 }), { nil: undefined }),
        async (good, junk, nesting) => {
          const slug = uniqueSlug("otlp-fuzz");
          const spans: unknown[] = [...good.map(([t, m]) => goodSpan(t, m)), ...junk];
          if (nesting !== undefined) {
            spans.push({
              ...goodSpan(1, "m"),
              attributes: [{ key: "gen_ai.deep", value: deepAny(nesting) }],
            });
          }
          const body = {
            resourceSpans: [
              {
                resource: { attributes: [{ key: "service.name", value: { stringValue: slug } }] },
                scopeSpans: [{ spans }],
              },
            ],
          };
          const res = await call("/v1/traces", {
            method: "POST",
            key: p.ingest,
            headers: { "content-type": "application/json" },
            body: toJson(body),
          });
          expect(res.status, await res.clone().text()).toBeLessThan(500);
          // Nesting past the bound refuses the whole export; otherwise the good spans count
          // (a shallow `deep` value is an unused attribute: that span is good too).
          // The attribute value sits at depth 9; each arrayValue level adds 3, the leaf 1.
          const tooDeep = nesting !== undefined && 9 + 3 * nesting + 1 > 64;
          const expected = tooDeep ? 0 : good.length + (nesting !== undefined ? 1 : 0);
          expect(res.status).toBe(tooDeep ? 400 : 200);
          sent.push({ slug, expected });
        },
      ),
      { numRuns: 15 },
    );
    await expectCounted(p, sent);
  });
});
