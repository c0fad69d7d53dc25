// GET /v1/events/export against the real R2 binding: the archived events of a range as
// NDJSON in hour and write order, exact at the hour edges, gzip on request, pulled
// object by object, behind the read scope and the caller's own project.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { exportStream, hourCoverage, linesInRange } from "../../src/archive/export-stream";
import {
  type ArchivedEvent,
  type DeploymentRef,
  encodeArchive,
  syntheticObjectKey,
} from "../../src/archive/layout";
import { acceptsGzip } from "../../src/http/accept-encoding";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/shared/time";
import { client, expectStatus } from "../client";
import { ADMIN, BASE, call, createProject, type TestProject, uniqueSlug } from "../helpers";
import { archived, putArchive, textOf } from "./fixture";

const H0 = Date.UTC(2026, 10, 30, 22);
const H1 = H0 + HOUR_MS;
const H2 = H0 + 2 * HOUR_MS;

async function addDeployment(p: TestProject, slug: string): Promise<DeploymentRef> {
  await env.DB.prepare(
    `INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen)
     VALUES (?, ?, 'production', ?, 0, 0)`,
  )
    .bind(`${p.id}:production:${slug}`, p.id, slug)
    .run();
  return { projectId: p.id, environment: "production", slug };
}

/** Three hours of objects: H0 one, H1 two (and a probe-run object), H2 one. */
async function seedHours(d: DeploymentRef): Promise<ArchivedEvent[]> {
  const at = (t: number, id: string) => archived(d, t, `${d.projectId}-${id}`);
  const objects = [
    [at(H0 + 10 * MINUTE_MS, "a"), at(H0 + 50 * MINUTE_MS, "b")],
    [at(H1, "c"), at(H1 + 5 * MINUTE_MS, "d")],
    [at(H1 + 2 * MINUTE_MS, "e")],
    [at(H2 + 15 * MINUTE_MS - 1, "f"), at(H2 + 15 * MINUTE_MS, "g")],
  ];
  let seq = 1;
  for (const events of objects) {
    await putArchive(d, events, seq);
    seq += events.length;
  }
  // The probe-run sibling's own sequence; its objects follow the hour's others.
  const probe = [at(H1 + MINUTE_MS, "s")];
  await env.ARCHIVE.put(syntheticObjectKey(d, H1, 1, 1), encodeArchive(probe));
  return [...objects.flat(), ...probe];
}

const exportPath = (query: Record<string, string | number>) =>
  `/v1/events/export?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

/** The export through the typed client (query values are strings). */
const exportOf = (
  key: string | undefined,
  query: { deployment: string; from: string; to?: string; environment?: string; project?: string },
) => client(key).v1.events.export.$get({ query });

async function lines(res: Pick<Response, "status" | "arrayBuffer">): Promise<ArchivedEvent[]> {
  const text = await textOf(res);
  if (res.status !== 200) throw new Error(`${res.status} ${text}`);
  expect(text === "" || text.endsWith("\n")).toBe(true);
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ArchivedEvent);
}

const ids = (events: ArchivedEvent[]) => events.map((e) => e.id.split("-").at(-1));

describe("export stream parts", () => {
  it("classifies an hour as outside, wholly inside or at an edge of the range", () => {
    const range = { from: H0 + 30 * MINUTE_MS, to: H2 };
    expect(hourCoverage(H0 - HOUR_MS, range)).toBe("none");
    expect(hourCoverage(H0, range)).toBe("edge");
    expect(hourCoverage(H1, range)).toBe("whole");
    expect(hourCoverage(H2, range)).toBe("none");
    expect(hourCoverage(H1, { from: H1, to: H1 + 1 })).toBe("edge");
  });

  it("keeps lines with from ≤ ts < to", () => {
    const text = [1, 2, 3].map((ts) => JSON.stringify({ ts })).join("\n");
    expect(linesInRange(`${text}\n`, { from: 2, to: 3 })).toBe('{"ts":2}\n');
  });

  it("reads accepted encodings", () => {
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.5")).toBe(true);
    expect(acceptsGzip("gzip;q=0, *")).toBe(false);
    expect(acceptsGzip("br, *;q=0.1")).toBe(true);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it("reads one object per pull, none ahead", async () => {
    const p = await createProject("stream");
    const d = await addDeployment(p, uniqueSlug());
    await seedHours(d);
    const gets: string[] = [];
    const counted = new Proxy(env.ARCHIVE, {
      get(target, name) {
        const value = Reflect.get(target, name);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (name === "get") gets.push(String(args[0]));
          return value.apply(target, args);
        };
      },
    });
    const reader = exportStream(counted, d, { from: H0, to: H2 + HOUR_MS }).getReader();
    expect(gets).toHaveLength(0);
    const first = await reader.read();
    expect(gets).toHaveLength(1);
    expect(ids(await lines(new Response(first.value)))).toEqual(["a", "b"]);
    await reader.read();
    expect(gets).toHaveLength(2);
    await reader.cancel();
  });
});

describe("GET /v1/events/export", () => {
  it("streams the events of [from, to) as NDJSON, by hour then write order, exact at the edges", async () => {
    const p = await createProject("export");
    const d = await addDeployment(p, uniqueSlug());
    const all = await seedHours(d);

    const res = await exportOf(p.read, {
      deployment: d.slug,
      from: String(H0 + 30 * MINUTE_MS),
      to: String(H2 + 15 * MINUTE_MS),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const got = await lines(res);
    // b from H0's second half; H1 in write order (c, d, then the later object's e, then
    // the probe run s); f is the last millisecond before `to`, g is exactly at `to`.
    expect(ids(got)).toEqual(["b", "c", "d", "e", "s", "f"]);
    expect(got[0]).toEqual(all[1]);

    // `from` is inclusive, to the millisecond.
    const exact = await exportOf(p.read, {
      deployment: d.slug,
      from: String(H1),
      to: String(H1 + MINUTE_MS),
    });
    expect(ids(await lines(exact))).toEqual(["c"]);
  });

  it("takes ISO-8601 times and dates, the environment, and answers an empty range with an empty body", async () => {
    const p = await createProject("iso");
    const d = await addDeployment(p, uniqueSlug());
    await seedHours(d);
    const iso = await call(
      exportPath({
        deployment: d.slug,
        environment: "production",
        from: new Date(H1).toISOString(),
        to: "2026-12-01T01:00:00+01:00",
      }),
      { key: p.read },
    );
    expect(ids(await lines(iso))).toEqual(["c", "d", "e", "s"]);
    const days = await call(
      exportPath({ deployment: d.slug, from: "2026-11-30", to: "2026-12-01" }),
      {
        key: p.read,
      },
    );
    expect(ids(await lines(days))).toEqual(["a", "b", "c", "d", "e", "s"]);
    const empty = await call(exportPath({ deployment: d.slug, from: H0 - DAY_MS, to: H0 }), {
      key: p.read,
    });
    expect(empty.status).toBe(200);
    expect(await textOf(empty)).toBe("");
  });

  it("answers gzip when the client accepts it, the same NDJSON once decompressed", async () => {
    const p = await createProject("gzip");
    const d = await addDeployment(p, uniqueSlug());
    await seedHours(d);
    const path = exportPath({ deployment: d.slug, from: H0, to: H2 + HOUR_MS });
    const plain = await textOf(await call(path, { key: p.read }));
    expect(plain.split("\n")).toHaveLength(9);
    const headers = { authorization: `Bearer ${p.read}`, "accept-encoding": "gzip" };
    // Through a fetch the client decodes it, as curl --compressed does.
    const fetched = await call(path, { headers });
    expect(fetched.headers.get("content-encoding")).toBe("gzip");
    expect(await textOf(fetched)).toBe(plain);
    // The response as the Worker hands it to the runtime: gzip bytes.
    const res = await app.fetch(
      new Request(`${BASE}${path}`, { headers }),
      env,
      createExecutionContext(),
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const body = new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
    );
    expect(await textOf(body)).toBe(plain);
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
  });

  it("answers 400 naming the field for a bad time, an empty or too long range and unknown fields", async () => {
    const p = await createProject("bad");
    const d = await addDeployment(p, uniqueSlug());
    const cases: [Record<string, string | number>, string][] = [
      [{ deployment: d.slug, from: "yesterday", to: H1 }, "from"],
      [{ deployment: d.slug, from: "2026-13-01", to: H1 }, "from"],
      [{ deployment: d.slug, from: H1, to: H1 }, "to"],
      [{ deployment: d.slug, from: H1, to: H0 }, "to"],
      [{ deployment: d.slug, from: H0, to: H0 + 32 * DAY_MS }, "to"],
      [{ from: H0, to: H1 }, "deployment"],
      [{ deployment: "Bad Slug!", from: H0, to: H1 }, "deployment"],
      [{ deployment: d.slug, to: H1 }, "from"],
      [{ deployment: d.slug, from: H0, to: H1, limit: 5 }, "limit"],
    ];
    for (const [query, path] of cases) {
      const res = await call(exportPath(query), { key: p.read });
      expect(res.status, JSON.stringify(query)).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; details: { issues: { path: string }[] } };
      };
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.details.issues.map((i) => i.path)).toContain(path);
    }
  });

  it("exports exactly the events named by ids=, in whole hours and at the edges alike", async () => {
    const p = await createProject("ids");
    const d = await addDeployment(p, uniqueSlug());
    await seedHours(d);
    const named = ["b", "d", "s", "g", "nowhere"].map((x) => `${d.projectId}-${x}`);
    const res = await call(
      exportPath({ deployment: d.slug, from: H0, to: H2 + HOUR_MS, ids: named.join(",") }),
      { key: p.read },
    );
    // d and s lie in the wholly covered hour H1, b and g in the edge hours; an unknown id
    // is simply absent.
    expect(ids(await lines(res))).toEqual(["b", "d", "s", "g"]);
    // The range still applies: g lies after `to`.
    const before = await call(
      exportPath({ deployment: d.slug, from: H0, to: H2, ids: named.join(",") }),
      { key: p.read },
    );
    expect(ids(await lines(before))).toEqual(["b", "d", "s"]);
  });

  it("answers 400 naming the id for an empty or too long id, and ids for more than 100", async () => {
    const p = await createProject("bad-ids");
    const d = await addDeployment(p, uniqueSlug());
    const cases: [string, string][] = [
      ["a,,b", "ids.1"],
      ["", "ids.0"],
      [`a,${"x".repeat(65)}`, "ids.1"],
      [Array.from({ length: 101 }, (_, i) => `e${i}`).join(","), "ids"],
    ];
    for (const [list, path] of cases) {
      const res = await call(exportPath({ deployment: d.slug, from: H0, to: H1, ids: list }), {
        key: p.read,
      });
      expect(res.status, list.slice(0, 20)).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; details: { issues: { path: string }[] } };
      };
      expect(body.error.code).toBe("validation_failed");
      expect(
        body.error.details.issues.map((i) => i.path),
        list.slice(0, 20),
      ).toContain(path);
    }
  });

  it("answers 404 for an unknown deployment or environment", async () => {
    const p = await createProject("missing");
    const d = await addDeployment(p, uniqueSlug());
    const queries: Record<string, string | number>[] = [
      { deployment: "nope", from: H0, to: H1 },
      { deployment: d.slug, environment: "staging", from: H0, to: H1 },
    ];
    for (const query of queries) {
      const res = await call(exportPath(query), { key: p.read });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("needs the read scope: 401 without a key, 403 for an ingest key, 200 for read, admin and root", async () => {
    const p = await createProject("scopes");
    const d = await addDeployment(p, uniqueSlug());
    await seedHours(d);
    const query = { deployment: d.slug, from: String(H0), to: String(H1) };
    expect((await exportOf(undefined, query)).status).toBe(401);
    expect((await exportOf(p.ingest, query)).status).toBe(403);
    expect((await exportOf(p.read, query)).status).toBe(200);
    expect((await exportOf(p.admin, query)).status).toBe(200);
    const root = await exportOf(ADMIN, { ...query, project: p.id });
    expect(ids(await lines(root))).toEqual(["a", "b"]);
  });

  it("never reads another project's archive, even for the same deployment name", async () => {
    const a = await createProject("a");
    const b = await createProject("b");
    const slug = uniqueSlug();
    await seedHours(await addDeployment(a, slug));
    await seedHours(await addDeployment(b, slug));
    const query = { deployment: slug, from: String(H0), to: String(H2 + HOUR_MS) };
    const fromA = await lines(await exportOf(a.read, query));
    const fromB = await lines(await exportOf(b.read, query));
    expect(fromA).toHaveLength(8);
    expect(fromA.every((e) => e.id.startsWith(a.id))).toBe(true);
    expect(fromB.every((e) => e.id.startsWith(b.id))).toBe(true);
    expect((await exportOf(b.read, { ...query, project: a.id })).status).toBe(403);
    // A deployment only the other project has is unknown here.
    const other = await addDeployment(b, uniqueSlug());
    await seedHours(other);
    const res = await exportOf(a.read, {
      deployment: other.slug,
      from: String(H0),
      to: String(H1),
    });
    expect((await expectStatus(res, 404)).error.code).toBe("not_found");
  });
});
