// Status page weight, D1 load and server time: a page with 10 deployments, 14 days of
// incidents (test/e2e/seed.mjs benchWorld: one incident every 3.5 days on each deployment),
// 3 updates written on one of them, a maintenance window running on two deployments and a
// probe shown as its own component,
// served by the Worker under `wrangler dev` (BENCH_ROUTES=1 counts D1 statements). Reports
// the HTML's bytes in each language the page speaks (target ≤ 30 KB uncompressed), the D1
// statements per 1,000 page hits that carry cache-busting query strings (a quarter
// revalidating with If-None-Match), and the
// server time of GET /status/:page beside GET /healthz (a bare route) measured in the same
// run, alternating requests so both see the same machine load.
// Writes bench/results/status-page.md, and the dashboard's pages bench/results/dashboard-pages.md. Run: npm run bench:status-page [-- --requests 200]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchWorld, E2E_KEYS } from "../test/e2e/seed.mjs";
import { startSeededWorker } from "../test/e2e/seeded-worker.mjs";
import { benchDashboard } from "./lib/dashboard-pages.mjs";
import { pageWeights } from "./lib/status-page-weights.mjs";

const root = new URL("..", import.meta.url).pathname;
const arg = process.argv.indexOf("--requests");
const REQUESTS = arg > 0 ? Number(process.argv[arg + 1]) : 200;
const TARGET_BYTES = 30 * 1024;
const PORT = Number(process.env.BENCH_PORT ?? 8817);

const now = Date.now();
const world = benchWorld(now, 10);
const worker = await startSeededWorker({ port: PORT, world, now, vars: { BENCH_ROUTES: "1" } });
const page = `${worker.base}/status/${world.page.slug}`;
const bare = `${worker.base}/healthz`;
const HITS = 1_000;

/** D1 statements the Worker prepared since the last call (src/api/bench-routes.ts). */
const d1Statements = async () =>
  (await (await fetch(`${worker.base}/__bench/d1-statements`)).json()).prepared;

async function timed(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return { ms: performance.now() - t0, bytes: body.byteLength };
}

try {
  // D1 load: 1,000 visitors, each with its own cache buster; every 4th revalidates.
  await d1Statements();
  const first = await fetch(`${page}?v=0`);
  const html = await first.text();
  const etag = first.headers.get("etag") ?? "";
  const perRender = await d1Statements();
  const hitsStarted = performance.now();
  let notModified = 0;
  for (let k = 1; k < HITS; k++) {
    const headers = k % 4 === 0 ? { "if-none-match": etag } : {};
    const res = await fetch(`${page}?v=${k}&utm_source=bench`, { headers });
    await res.arrayBuffer();
    if (res.status === 304) notModified++;
  }
  const hitsSeconds = (performance.now() - hitsStarted) / 1000;
  const d1PerThousand = ((perRender + (await d1Statements())) * 1000) / HITS;
  if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, html);
  // The page in each language (Accept-Language), rendered once more each: the translated
  // pages are longer than the English one, and the budget holds for every one.
  const weights = await pageWeights(page, TARGET_BYTES);
  // Open incidents are cards, resolved ones a line each.
  const listed = (html.match(/<article class="card"|<li id="i-/g) ?? []).length;
  // Warm both routes (module load, D1 page cache), then alternate.
  for (let k = 0; k < 10; k++) {
    await timed(page);
    await timed(bare);
  }
  const pageMs = [];
  const bareMs = [];
  for (let k = 0; k < REQUESTS; k++) {
    pageMs.push((await timed(page)).ms);
    bareMs.push((await timed(bare)).ms);
  }
  const q = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  const row = (name, xs) =>
    `| ${name} | ${q(xs, 0.5).toFixed(1)} | ${q(xs, 0.95).toFixed(1)} | ${q(xs, 0.99).toFixed(1)} |`;
  const extra = {
    p50: q(pageMs, 0.5) - q(bareMs, 0.5),
    p95: q(pageMs, 0.95) - q(bareMs, 0.95),
  };
  const md = `# bench/status-page

A public status page with ${world.deployments.length} deployments and ${world.incidents.length} incidents over the
last 14 days (one every 3.5 days on each deployment; ${listed} listed on the page;
${world.updates.length} updates written on one; ${world.maintenances.length} maintenance window running on ${world.maintenances[0].slugs.length} deployments; ${world.probes.length} probe shown as a component), 30 days of hourly
rollups, served by the Worker under \`wrangler dev\` (local workerd and D1) on one machine.
Run on ${new Date(now).toISOString().slice(0, 10)}: \`npm run bench:status-page\`, ${REQUESTS} requests per route, alternating.

## Weight

${weights.table}

One request: CSS and the sparklines' SVG are inline, there is no script, image, font or other asset.

## D1 queries per 1,000 page hits

${HITS.toLocaleString("en")} GETs of \`/status/:page?v=<n>&utm_source=bench\` (every one a different URL; every 4th
with \`If-None-Match\`, answered 304 ${notModified} times) in ${hitsSeconds.toFixed(1)} s:

| | D1 statements |
|---|---:|
| one render of the page (a cache miss) | ${perRender} |
| per 1,000 hits, edge cache (Workers Cache API, 30 s, key without the query string) | ${d1PerThousand.toFixed(1)} |
| per 1,000 hits without it (one render each) | ${(perRender * 1000).toLocaleString("en")} |

The page is rendered once per 30 s per Cloudflare location whatever visitors add to the URL
(\`src/status/edge-cache.ts\`). Counted by the Worker itself (\`BENCH_ROUTES=1\`,
\`GET /__bench/d1-statements\`: statements prepared on \`env.DB\`).

## Server time (ms, measured at the client on 127.0.0.1)

| route | p50 | p95 | p99 |
|---|---:|---:|---:|
${row("GET /status/:page (edge cache hit)", pageMs)}
${row("GET /healthz (bare route, same Worker)", bareMs)}

A cached page costs ${extra.p50.toFixed(1)} ms more than the bare route at the median (${extra.p95.toFixed(1)} ms at p95). A miss
runs the ${perRender} D1 statements and renders (47.3 ms at p50 on 2026-12-02, before the edge cache,
when every hit did). Local D1 is SQLite in the same process tree, so on Cloudflare the reads take
longer. Responses carry \`Cache-Control: public, max-age=30, stale-while-revalidate=60\` for
browsers and shared caches, and an ETag that answers 304.
`;
  writeFileSync(join(root, "bench/results/status-page.md"), md);
  console.log(md);
  // The dashboard's pages, beside the same bare route (bench/results/dashboard-pages.md).
  const date = new Date(now).toISOString().slice(0, 10);
  const key = E2E_KEYS.read;
  console.log(
    await benchDashboard({ base: worker.base, key, world, requests: REQUESTS, root, date }),
  );
} finally {
  await worker.stop();
}
