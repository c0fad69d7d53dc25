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

const activeMs = (bundle) => {
  const profile = join(work, "startup.cpuprofile");
  const out = wrangler(["check", "startup", "--worker", bundle, "--outfile", profile], {
    cwd: root,
    encoding: "utf8",
    stdio: "pipe",
  });
  const m = /Active: ([\d.]+) ms/.exec(out);
  if (!m) throw new Error(`no 'Active' figure in wrangler's output:\n${out}`);
  return Number(m[1]);
};

const samples = { worker: [], bare: [] };
for (let i = 0; i < RUNS; i++) {
  samples.bare.push(activeMs(bareBundle));
  samples.worker.push(activeMs(workerBundle));
  console.log(
    `run ${i + 1}/${RUNS}: bare ${samples.bare.at(-1)} ms, worker ${samples.worker.at(-1)} ms`,
  );
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const worker = median(samples.worker);
const bare = median(samples.bare);
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
"Active" is startup CPU sampled by workerd's profiler on this machine (not Cloudflare's CPU);
medians. Target: the Worker ≤ ${TARGET_MS} ms.

| Worker | median active ms | runs (ms) |
|---|---|---|
| bare Hono | ${bare} | ${samples.bare.join(", ")} |
| Driftwatch | ${worker} | ${samples.worker.join(", ")} |

Driftwatch minus bare: ${excess.toFixed(1)} ms; ${bare > 0 ? `ratio ${(worker / bare).toFixed(2)}×` : "the bare Worker's median is below the profiler's 1 ms sample interval"}.
Load average while measuring: ${loadavg()[0].toFixed(1)} (on ${cpus().length} cores); the runs move with it.
Result: **${pass ? "PASS" : "FAIL"}** (${worker} ms against ${TARGET_MS} ms).

## Bundle: ${total} bytes, ${gz} bytes gzipped

| package | bytes in bundle | share |
|---|---|---|
${rows}
`;
writeFileSync(join(root, "bench/results/startup.md"), report);
rmSync(work, { recursive: true, force: true });
console.log(
  `bare ${bare} ms, worker ${worker} ms (target ${TARGET_MS}): ${pass ? "PASS" : "FAIL"}`,
);
console.log(`bundle ${total} B, ${gz} B gzipped; results in bench/results/startup.md`);
