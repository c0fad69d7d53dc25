// bench/ingest: POST /v1/events throughput at batch sizes 1, 50 and 500 through the
// local runtime (wrangler dev: workerd with local D1, Queues and Durable Objects),
// beside a bare Hono route answering 202 measured in the same run, end-to-end
// events/s from request to the deployment's window, and POST /v1/traces with the same
// GenAI spans as binary protobuf and as JSON, each beside the bare route reading that body.
// The single-event row alternates bare and real `--rounds` times (load from other work on
// the machine moves both alike within a round) and reports each round's ratio and the median;
// each round also times the same requests sent as beacons (`?beacon=1`: held for a shared
// commit), to another deployment, and reads the CPU the local runtime used per request for
// the bare route and ours. `--single-only 1` runs only those rounds and writes nothing.
// wrangler dev's local trace collector is off (X_LOCAL_OBSERVABILITY=false): it records every
// invocation, the Worker's and each Durable Object's, into a trace store in the same workerd,
// which production does not bill to the Worker; `--local-traces 1` measures with it on.
// Usage: npm run bench:ingest [-- --seconds 8 --concurrency 8 --e2e-events 100000 --rounds 3 --port 8797 --local-traces 0]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_DEPLOYMENTS, demoEvent } from "../scripts/lib/demo-data.mjs";
import { startDevServer } from "../scripts/lib/dev-server.mjs";
import { otlpBodies } from "./lib/otlp-bodies.mjs";
import { devProcessKind, treeCpu } from "./lib/process-cpu.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg("seconds", 8);
const CONCURRENCY = arg("concurrency", 8);
const E2E_EVENTS = arg("e2e-events", 100_000);
const ROUNDS = arg("rounds", 3);
const SINGLE_ONLY = arg("single-only", 0) === 1;
const PORT = arg("port", 8797);
const LOCAL_TRACES = arg("local-traces", 0) === 1;
const ADMIN = "bench-admin-token";

/** Runs `concurrency` request loops for `seconds`; returns requests/s and failures. */
async function load(makeRequest, seconds, concurrency, expected = 202) {
  const until = performance.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const res = await makeRequest();
      await res.arrayBuffer();
      if (res.status === expected) ok++;
      else failed++;
    }
  });
  const started = performance.now();
  await Promise.all(loops);
  const elapsed = (performance.now() - started) / 1000;
  return { rps: ok / elapsed, ok, failed };
}

/**
 * Runs a load and adds the local runtime's CPU per answered request (ms): in all (wrangler,
 * its proxy's workerd, the Worker's workerd) and the Worker's workerd alone, where the
 * Worker and its Durable Objects run. Steadier than requests/s on a shared machine.
 */
async function withCpu(run) {
  const kind = (cmd) => devProcessKind(cmd, PORT);
  const before = treeCpu(server.child.pid, kind);
  const result = await run();
  const after = treeCpu(server.child.pid, kind);
  const per = (a, b) => ((a - b) * 1000) / Math.max(1, result.ok);
  const cpu = {
    total: per(after.total, before.total),
    worker: per(after.byKind.worker ?? 0, before.byKind.worker ?? 0),
  };
  return { ...result, cpu };
}

/** The middle value (the lower of the two middle ones for an even count). */
function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

const persistTo = mkdtempSync(join(tmpdir(), "driftwatch-bench-"));
process.env.ADMIN_TOKEN = ADMIN;
// Other work on the machine slows every row alike; the load says how busy it was.
const loadAtStart = loadavg()[0];
const server = await startDevServer({
  port: PORT,
  persistTo,
  vars: { BENCH_ROUTES: "1", ADMIN_TOKEN: ADMIN },
  localTraces: LOCAL_TRACES,
});
const { base } = server;
try {
  const post = (path, key, body) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
  const { project } = await json(
    await post("/v1/projects", ADMIN, JSON.stringify({ name: "bench" })),
  );
  const keyOf = async (scopes) =>
    (await json(await post(`/v1/projects/${project.id}/keys`, ADMIN, JSON.stringify({ scopes }))))
      .key.secret;
  const ingest = await keyOf(["ingest"]);
  const read = await keyOf(["read"]);
  const d = DEMO_DEPLOYMENTS[0];

  // Warm up both routes (isolate start, key cache, queue and DO creation).
  await load(
    () => post("/__bench/bare", ingest, JSON.stringify(demoEvent(d, Date.now()))),
    1,
    CONCURRENCY,
  );
  const warm = await load(
    () => post("/v1/events", ingest, JSON.stringify(demoEvent(d, Date.now()))),
    1,
    CONCURRENCY,
  );
  let enqueued = warm.ok;

  const rows = [];
  /** Single-event rounds: bare, ours and ours as beacons, measured one after the other. */
  const rounds = [];
  /** The deployment objects' direct-intake counters after the single-event rounds. */
  let intake = null;
  let beaconIntake = null;
  const beaconSlug = `${d.slug}-beacons`;
  const intakeOf = async (slug) =>
    (await fetch(`${base}/__bench/intake/${project.id}:production:${slug}`)).json();
  // Bodies are generated before timing (the server is measured, not this client's event
  // generator): 16 distinct bodies per size, cycled. Events carry no id, so the server
  // gives each its own and none is a duplicate.
  const bodiesFor = (size, slug = d.slug) =>
    Array.from({ length: 16 }, () => {
      const now = Date.now();
      const events = Array.from({ length: size }, () => demoEvent(d, now, { deployment: slug }));
      return JSON.stringify(size === 1 ? events[0] : { events });
    });
  for (const size of [1, 50, 500]) {
    const bodies = bodiesFor(size);
    let next = 0;
    const body = () => bodies[next++ % bodies.length];
    if (size === 1) {
      const beaconBodies = bodiesFor(1, beaconSlug);
      const beaconBody = () => beaconBodies[next++ % beaconBodies.length];
      for (let i = 0; i < ROUNDS; i++) {
        const b = await withCpu(() =>
          load(() => post("/__bench/bare", ingest, body()), SECONDS, CONCURRENCY),
        );
        const o = await withCpu(() =>
          load(() => post("/v1/events", ingest, body()), SECONDS, CONCURRENCY),
        );
        const h = await load(
          () => post("/v1/events?beacon=1", ingest, beaconBody()),
          SECONDS,
          CONCURRENCY,
        );
        rounds.push({ bare: b, ours: o, held: h, load: loadavg()[0] });
        enqueued += o.ok;
        console.log(
          `round ${i + 1}: bare ${b.rps.toFixed(0)}, ours ${o.rps.toFixed(0)} (${((o.rps / b.rps) * 100).toFixed(1)} %), beacons ${h.rps.toFixed(0)} (${((h.rps / b.rps) * 100).toFixed(1)} %), Worker CPU ms/request bare ${b.cpu.worker.toFixed(2)} ours ${o.cpu.worker.toFixed(2)}, load ${loadavg()[0].toFixed(2)}`,
        );
      }
      intake = await intakeOf(d.slug);
      beaconIntake = await intakeOf(beaconSlug);
      const sum = (pick) => {
        const ok = rounds.reduce((n, r) => n + pick(r).ok, 0);
        const failed = rounds.reduce((n, r) => n + pick(r).failed, 0);
        return { rps: ok / (SECONDS * ROUNDS), ok, failed };
      };
      const bare = sum((r) => r.bare);
      const ours = sum((r) => r.ours);
      rows.push({ name: "bare Hono route (reads body, 202)", batch: 1, ...bare, eps: bare.rps });
      rows.push({
        name: "POST /v1/events",
        batch: 1,
        ...ours,
        eps: ours.rps,
        ratio: ours.rps / bare.rps,
      });
      if (SINGLE_ONLY) break;
      continue;
    }
    // The bare route reads the same body and answers 202: what the local runtime itself costs.
    const bare = await load(() => post("/__bench/bare", ingest, body()), SECONDS, CONCURRENCY);
    rows.push({
      name: "bare Hono route (reads body, 202)",
      batch: size,
      ...bare,
      eps: bare.rps * size,
    });
    const r = await load(() => post("/v1/events", ingest, body()), SECONDS, CONCURRENCY);
    rows.push({
      name: "POST /v1/events",
      batch: size,
      ...r,
      eps: r.rps * size,
      ratio: r.rps / bare.rps,
    });
    enqueued += r.ok * size;
  }

  const windowCount = async (slug) => {
    const res = await fetch(`${base}/v1/deployments/production/${slug}/window?range=1h`, {
      headers: { authorization: `Bearer ${read}` },
    });
    return res.ok ? (await res.json()).window.summary.count : 0;
  };
  /** Polls a deployment's window until it holds `n` events (or 5 minutes pass). */
  const waitForCount = async (slug, n, pollMs) => {
    let counted = 0;
    const deadline = performance.now() + 300_000;
    while (performance.now() < deadline) {
      counted = await windowCount(slug);
      if (counted >= n) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return counted;
  };
  // With --single-only, the rest is skipped (the server is still stopped below).
  if (SINGLE_ONLY) {
    console.log("intake (waiting clients):", intake, "beacons:", beaconIntake);
    console.log(
      `median ${(medianOf(rounds.map((r) => r.ours.rps / r.bare.rps)) * 100).toFixed(1)} % of the bare route; local traces ${LOCAL_TRACES ? "on" : "off"}`,
    );
  } else {
    // Let the consumer drain what the rows above queued, so end to end starts from empty.
    await waitForCount(d.slug, enqueued, 250);

    /** End to end: a fresh deployment, `size`-event batches, until its window has them all. */
    const endToEnd = async (size) => {
      const slug = `e2e-${size}-${Date.now().toString(36)}`;
      const batches = Math.ceil(E2E_EVENTS / size);
      const bodies = bodiesFor(size, slug);
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < batches)
            await json(await post("/v1/events", ingest, bodies[next++ % bodies.length]));
        }),
      );
      const sentAt = performance.now();
      const counted = await waitForCount(slug, batches * size, 100);
      const totalSeconds = (performance.now() - started) / 1000;
      return {
        size,
        events: batches * size,
        counted,
        sendSeconds: (sentAt - started) / 1000,
        totalSeconds,
        eps: counted / totalSeconds,
      };
    };
    const e2es = [await endToEnd(500)];
    await new Promise((r) => setTimeout(r, 2_000));
    e2es.push(await endToEnd(1000));

    // OTLP after end to end, so its queued spans do not slow that measurement. Span ids repeat
    // as bodies cycle (copies are dropped by the consumer); the route's cost is the same.
    const otlpRows = [];
    const postAs = (path, type, body) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingest}`, "content-type": type },
        body,
      });
    for (const size of [50, 500]) {
      const bodies = otlpBodies(d, "otlp-bench", size, 16);
      for (const [encoding, type] of [
        ["JSON", "application/json"],
        ["protobuf", "application/x-protobuf"],
      ]) {
        const list = bodies[encoding === "JSON" ? "json" : "protobuf"];
        let next = 0;
        const body = () => list[next++ % list.length];
        const bare = await load(() => postAs("/__bench/bare", type, body()), SECONDS, CONCURRENCY);
        const r = await load(() => postAs("/v1/traces", type, body()), SECONDS, CONCURRENCY, 200);
        otlpRows.push({
          encoding,
          size,
          bytes: list[0].byteLength,
          bare,
          r,
          ratio: r.rps / bare.rps,
        });
      }
    }

    const ratio =
      rounds.length > 0
        ? medianOf(rounds.map((r) => r.ours.rps / r.bare.rps))
        : rows[1].rps / rows[0].rps;
    const lines = [
      "# bench/ingest results",
      "",
      `Run: ${new Date().toISOString()} · Node ${process.version} · ${SECONDS} s per row · ${CONCURRENCY} connections · local \`wrangler dev\` (workerd, local D1/Queues/Durable Objects) on this machine (2 cores, shared by the load generator, wrangler's proxy and workerd; 1-minute load average ${loadAtStart.toFixed(2)} before the run); wrangler dev's local trace collector ${LOCAL_TRACES ? "on (`--local-traces 1`)" : "off (`X_LOCAL_OBSERVABILITY=false`: it records every invocation of the Worker and of each Durable Object into a trace store in the same workerd, a cost production does not bill to the Worker; `--local-traces 1` turns it on)"}`,
      "",
      "Request bodies are generated before timing and cycled; the bare route reads the same body and answers 202.",
      "",
      "| route | events/request | requests/s | events/s | vs bare route | non-202 |",
      "|---|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.batch} | ${r.rps.toFixed(0)} | ${r.eps.toFixed(0)} | ${r.ratio === undefined ? "" : `${(r.ratio * 100).toFixed(1)} %`} | ${r.failed} |`,
      ),
      "",
      `Single-event ingest vs bare route, ${ROUNDS} rounds alternating the two (${SECONDS} s each; 1-minute load average after each round):`,
      "",
      "| round | bare requests/s | POST /v1/events requests/s | vs bare route | as beacons (`?beacon=1`) requests/s | vs bare route | Worker's workerd CPU per request, bare / ours | all of the runtime, bare / ours | load average |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rounds.map(
        (r, i) =>
          `| ${i + 1} | ${r.bare.rps.toFixed(0)} | ${r.ours.rps.toFixed(0)} | ${((r.ours.rps / r.bare.rps) * 100).toFixed(1)} % | ${r.held.rps.toFixed(0)} | ${((r.held.rps / r.bare.rps) * 100).toFixed(1)} % | ${r.bare.cpu.worker.toFixed(2)} / ${r.ours.cpu.worker.toFixed(2)} ms | ${r.bare.cpu.total.toFixed(2)} / ${r.ours.cpu.total.toFixed(2)} ms | ${r.load.toFixed(2)} |`,
      ),
      "",
      `Median: **${(ratio * 100).toFixed(1)} %** of the bare route's requests/s (target ≥ 70 %). CPU per request, medians of the rounds: the Worker's workerd (the Worker and its Durable Objects) ${medianOf(rounds.map((r) => r.bare.cpu.worker)).toFixed(2)} ms for the bare route against ${medianOf(rounds.map((r) => r.ours.cpu.worker)).toFixed(2)} ms for ours; the whole runtime (with wrangler's proxy) ${medianOf(rounds.map((r) => r.bare.cpu.total)).toFixed(2)} against ${medianOf(rounds.map((r) => r.ours.cpu.total)).toFixed(2)} ms.`,
      "",
      intake
        ? `The deployment's object committed ${intake.requests} direct requests (warm-up included) in ${intake.commits} commits: ${(intake.requests / Math.max(1, intake.commits)).toFixed(1)} per commit. The clients wait for each answer, as the bench's loops do, and say nothing: each request is committed at once, or with those that arrived during the commit before it. The same requests sent as beacons (another deployment) are held for the quiet span${beaconIntake ? `: ${beaconIntake.requests} in ${beaconIntake.commits} commits, ${(beaconIntake.requests / Math.max(1, beaconIntake.commits)).toFixed(1)} per commit` : ""}; beacons' clients do not wait, so their rate here is not what a beacon sees.`
        : "",
      "",
      "End to end (request → queue → the deployment's Durable Object: ledger, window, archive outbox), from the first request until the window counts every event (target ≥ 20,000 events/s):",
      "",
      "| events/request | events | counted | sending | until counted | events/s |",
      "|---:|---:|---:|---:|---:|---:|",
      ...e2es.map(
        (e) =>
          `| ${e.size} | ${e.events} | ${e.counted} | ${e.sendSeconds.toFixed(2)} s | ${e.totalSeconds.toFixed(2)} s | **${e.eps.toFixed(0)}** |`,
      ),
      "",
      "OTLP/HTTP `POST /v1/traces`: the same GenAI chat spans serialised by the OpenTelemetry JS serializers as binary protobuf and as JSON (not gzipped); each encoding beside the bare route reading the same body (target: protobuf ≥ JSON):",
      "",
      "| encoding | spans/request | body bytes | bare route requests/s | /v1/traces requests/s | spans/s | vs bare route | non-200 |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...otlpRows.map(
        (o) =>
          `| ${o.encoding} | ${o.size} | ${o.bytes} | ${o.bare.rps.toFixed(0)} | ${o.r.rps.toFixed(0)} | ${(o.r.rps * o.size).toFixed(0)} | ${(o.ratio * 100).toFixed(1)} % | ${o.r.failed} |`,
      ),
      "",
    ];
    const out = lines.join("\n");
    console.log(out);
    writeFileSync(join("bench", "results", "ingest.md"), out);
    if (ratio < 0.7 || e2es.some((e) => e.counted !== e.events)) process.exitCode = 1;
  }
} finally {
  await server.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
