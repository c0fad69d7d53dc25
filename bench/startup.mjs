// Cold start: active startup CPU of the Worker (`wrangler check startup`, the deployable
// production bundle) beside a bare Hono Worker measured in the same run, alternating so
// both see the same machine load; plus the bundle's bytes per dependency (esbuild
// metafile). Writes bench/results/startup.md. Run: npm run bench:startup [-- --runs 7]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url).pathname;
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const TARGET_MS = 10;
const work = mkdtempSync(join(tmpdir(), "dw-startup-"));
// Run wrangler with this Node (22): the one on PATH may be older than wrangler accepts.
const wrangler = (args, opts) =>
  execFileSync(
    process.execPath,
    [join(root, "node_modules/wrangler/bin/wrangler.js"), ...args],
    opts,
  );

// The Worker exactly as `wrangler deploy --env production` would upload it (the form
// `check startup` takes), and once more as plain files with esbuild's metafile for sizes.
const workerBundle = join(work, "worker.bundle");
wrangler(["deploy", "--dry-run", "--env", "production", "--outfile", workerBundle], {
  cwd: root,
  stdio: "pipe",
});
wrangler(
  ["deploy", "--dry-run", "--env", "production", "--outdir", join(work, "worker"), "--metafile"],
  { cwd: root, stdio: "pipe" },
);
// A bare Hono Worker (bench/fixtures/bare-worker), bundled the same way.
const bareBundle = join(work, "bare.bundle");
wrangler(
  [
    "deploy",
    "--dry-run",
    "--config",
    "bench/fixtures/bare-worker/wrangler.jsonc",
    "--outfile",
    bareBundle,
  ],
  { cwd: root, stdio: "pipe" },
);

// One `check startup` run: wrangler's own "Active" figure and the profile it wrote.
const profileOnce = (bundle) => {
  const file = join(work, "startup.cpuprofile");
  const out = wrangler(["check", "startup", "--worker", bundle, "--outfile", file], {
    cwd: root,
    encoding: "utf8",
    stdio: "pipe",
  });
  const m = /Active: ([\d.]+) ms/.exec(out);
  if (!m) throw new Error(`no 'Active' figure in wrangler's output:\n${out}`);
  return { wrangler: Number(m[1]), profile: JSON.parse(readFileSync(file, "utf8")) };
};

// A sample's time delta is the time since the previous sample. wrangler credits each
// sample with its delta, so the first sample after the idle start absorbs the gap in
// which workerd loads the script without sampling: ~18-22 ms here for the bare Worker
// and for ours alike, whatever the bundle's size (see the results file). The gap is not
// CPU the script spends; a sample stands for at most one sampling interval.
const samplesOf = ({ profile }) => {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  return profile.samples.map((id, i) => ({
    idle: names.get(id) === "(idle)",
    deltaMs: (profile.timeDeltas[i] ?? 0) / 1000,
  }));
};

const runs = { worker: [], bare: [] };
for (let i = 0; i < RUNS; i++) {
  runs.bare.push(profileOnce(bareBundle));
  runs.worker.push(profileOnce(workerBundle));
  console.log(
    `run ${i + 1}/${RUNS}: wrangler's Active: bare ${runs.bare.at(-1).wrangler} ms, worker ${runs.worker.at(-1).wrangler} ms`,
  );
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// The sampling interval: the spacing of samples that follow an active sample (no gap).
const spacings = [...runs.bare, ...runs.worker].flatMap((run) =>
  samplesOf(run).flatMap((s, i, all) => (i > 0 && !all[i - 1].idle ? [s.deltaMs] : [])),
);
const interval = spacings.length > 0 ? median(spacings) : 1;
const corrected = (run) =>
  samplesOf(run).reduce((sum, s) => sum + (s.idle ? 0 : Math.min(s.deltaMs, interval)), 0);
// The gap: the delta of the first active sample (after the idle start).
const gap = (run) => samplesOf(run).find((s) => !s.idle)?.deltaMs ?? 0;
const round = (x) => Math.round(x * 10) / 10;
const figures = (key) => ({
  wrangler: median(runs[key].map((r) => r.wrangler)),
  corrected: round(median(runs[key].map(corrected))),
  gap: round(median(runs[key].map(gap))),
  all: runs[key].map((r) => `${r.wrangler} / ${round(corrected(r))}`).join(", "),
});
const workerFig = figures("worker");
const bareFig = figures("bare");
const worker = workerFig.corrected;
const bare = bareFig.corrected;
// The startup work that is ours: the Worker minus the runtime floor a bare Worker pays.
const excess = worker - bare;

// Bytes in the output per package (or `src/` for our own code).
const meta = JSON.parse(readFileSync(join(work, "worker/bundle-meta.json"), "utf8"));
const output = Object.values(meta.outputs).find((o) => o.entryPoint);
const perDep = new Map();
for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const key = m ? m[1] : file.startsWith("src/") ? "src/ (Driftwatch)" : "other";
  perDep.set(key, (perDep.get(key) ?? 0) + bytesInOutput);
}
const code = readFileSync(join(work, "worker/index.js"));
const total = code.length;
const gz = gzipSync(code).length;
const rows = [...perDep.entries()]
  .sort((a, b) => b[1] - a[1])
  .map(([k, v]) => `| ${k} | ${v} | ${((100 * v) / total).toFixed(1)} % |`)
  .join("\n");

const pass = worker <= TARGET_MS;
const report = `# Cold start

\`wrangler check startup\` on the production bundle (\`wrangler deploy --dry-run --env production\`,
minified), ${RUNS} runs alternating with a bare Hono Worker (one route, minified) in the same run.
Startup CPU is sampled by workerd's profiler on this machine (not Cloudflare's CPU); medians.
Target: the Worker ≤ ${TARGET_MS} ms.

| Worker | startup CPU, gap removed (ms) | wrangler's "Active" (ms) | gap before the first sample (ms) | runs: Active / gap removed (ms) |
|---|---:|---:|---:|---|
| bare Hono | ${bare} | ${bareFig.wrangler} | ${bareFig.gap} | ${bareFig.all} |
| Driftwatch | ${worker} | ${workerFig.wrangler} | ${workerFig.gap} | ${workerFig.all} |

How it is read: wrangler credits each profile sample with the time since the previous one,
so the first sample after the idle start also carries the gap in which workerd loads the
script without sampling. That gap is about the same for the bare one-route Worker as for
Driftwatch (${Math.round(total / 1000)} KB), so it is not time our code spends; it alone
makes a bare Worker read ~20 ms here, where the issue measured ~1 ms. "Gap removed" counts
each active sample for at most one sampling interval (${round(interval)} ms: the median
spacing of consecutive samples in this run).

Driftwatch minus bare: ${excess.toFixed(1)} ms (gap removed), ${(workerFig.wrangler - bareFig.wrangler).toFixed(1)} ms (wrangler's figures).
Load average while measuring: ${loadavg()[0].toFixed(1)} (on ${cpus().length} cores); the runs move with it.
Result: **${pass ? "PASS" : "FAIL"}** (${worker} ms against ${TARGET_MS} ms; wrangler's own figure ${workerFig.wrangler} ms).

## Bundle: ${total} bytes, ${gz} bytes gzipped

| package | bytes in bundle | share |
|---|---|---|
${rows}
`;
writeFileSync(join(root, "bench/results/startup.md"), report);
rmSync(work, { recursive: true, force: true });
console.log(
  `gap removed: bare ${bare} ms, worker ${worker} ms (target ${TARGET_MS}): ${pass ? "PASS" : "FAIL"}; wrangler's Active: bare ${bareFig.wrangler} ms, worker ${workerFig.wrangler} ms`,
);
console.log(`bundle ${total} B, ${gz} B gzipped; results in bench/results/startup.md`);
