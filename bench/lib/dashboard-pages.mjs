// The dashboard's pages in bench/status-page: each page's weight (HTML bytes, raw and gzip)
// and server time beside GET /healthz, signed in with a read key, alternating requests so
// every route sees the same machine load. Writes bench/results/dashboard-pages.md.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** The dashboard's page budget: the deployment page with all its charts stays under it. */
export const DASHBOARD_TARGET_BYTES = 64 * 1024;

async function signIn(base, key) {
  const res = await fetch(`${base}/dashboard/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ key }).toString(),
  });
  if (res.status !== 303) throw new Error(`dashboard sign-in: ${res.status}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0];
}

export async function benchDashboard({ base, key, world, requests, root, date }) {
  const cookie = await signIn(base, key);
  const dep = `/dashboard/d/production/${world.deployments[0].slug}`;
  const incident = world.incidents[0].id;
  const pages = [
    ["GET /dashboard (overview)", "/dashboard"],
    ["GET deployment, 1 h per minute, at an incident", `${dep}?range=1h&incident=${incident}`],
    ["GET deployment, 6 h per minute", `${dep}?range=6h`],
    ["GET deployment, 24 h", `${dep}?range=24h`],
    ["GET deployment, 7 d", `${dep}?range=7d`],
    ["GET deployment, 30 d", `${dep}?range=30d`],
    ["GET breakdown, error rate by model, 7 d", `${dep}/breakdown?by=model&range=7d`],
    ["GET /dashboard/incidents (30 d)", "/dashboard/incidents?since=30d"],
    ["GET /dashboard/incidents/:id", `/dashboard/incidents/${incident}`],
    ["GET /dashboard/settings/channels", "/dashboard/settings/channels"],
    ["GET /dashboard/settings/keys", "/dashboard/settings/keys"],
    ["GET /dashboard/spend", "/dashboard/spend"],
    ["GET deployment baselines", `${dep}/baselines`],
    ["GET /dashboard/settings/status-page", "/dashboard/settings/status-page"],
    [
      "GET /dashboard/settings/rules, preview 7 d",
      "/dashboard/settings/rules?preview=default:error_rate&range=7d",
    ],
    ["GET /healthz (bare route, same Worker)", "/healthz"],
  ];
  async function timed(path) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const body = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return { ms: performance.now() - t0, body };
  }
  const times = pages.map(() => []);
  const weights = [];
  for (const [, path] of pages) {
    const { body } = await timed(path);
    weights.push([Buffer.byteLength(body), gzipSync(body).length]);
  }
  for (let k = 0; k < 5; k++) for (const [, path] of pages) await timed(path);
  for (let k = 0; k < requests; k++) {
    for (const [i, [, path]] of pages.entries()) times[i].push((await timed(path)).ms);
  }
  const q = (xs, p) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const rows = pages.map(([name], i) => {
    const [raw, gz] = weights[i];
    const over = raw > DASHBOARD_TARGET_BYTES && i < pages.length - 1 ? " **over**" : "";
    return `| ${name} | ${raw.toLocaleString("en")}${over} | ${gz.toLocaleString("en")} | ${q(times[i], 0.5).toFixed(1)} | ${q(times[i], 0.95).toFixed(1)} |`;
  });
  const md = `# bench/status-page: the dashboard's pages

The bench world of bench/status-page (${world.deployments.length} deployments, ${world.incidents.length} incidents over 14 days, 30 days
of hourly rollups) seen signed in with a read key, under \`wrangler dev\` on one machine.
Run on ${date}: \`npm run bench:status-page\`, ${requests} requests per route, alternating. The
1-hour chart asks the deployment's Durable Object for its 60 minutes in one RPC (the bench
world's objects hold no minutes, so that page measures the RPC and an empty chart; the
breakdown and the rule preview likewise read empty objects: with data, the breakdown of 21
models over 7 days is 33.0 KB and a 6-hour chart with every minute filled, the baseline's
band on its 8 charts that have one and 3 rule thresholds 61.3 KB (56.4 KB before the bands),
measured in test/status/dashboard-breakdown.test.ts and dashboard-six-hours.test.ts).

Budget: every dashboard page ≤ ${DASHBOARD_TARGET_BYTES / 1024} KB of HTML uncompressed (one request: CSS and SVG inline,
no script, image or font); the public status page keeps its own 30 KB.

| page | HTML bytes | gzip | p50 ms | p95 ms |
|---|---:|---:|---:|---:|
${rows.join("\n")}
`;
  writeFileSync(join(root, "bench/results/dashboard-pages.md"), md);
  return md;
}
