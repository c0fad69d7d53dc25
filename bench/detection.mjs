// bench/detection: false alarms per deployment-month on stationary traffic and detection delay
// after step changes for the default rule set, beside Evidently-style fixed tests, a naive
// static threshold and fixed PSI, all run on the same simulated streams; plus CPU per
// deployment evaluation. Writes bench/results/detection.md.
// Usage: node bench/detection.mjs [--days 30 --replicates 20 --horizon 120 --workers 2]
//        [--seq-days 400 --seq-replicates 200 --seq-horizon 2880] (the sequential detector)
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { renderReport } from "./lib/detection-report.mjs";
import { SEQUENTIAL_SCENARIOS } from "./lib/detection-sequential.mjs";
import { SCENARIOS } from "./lib/detection-sim.mjs";
import { bundleAlerts } from "./lib/load-alerts.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const options = {
  days: arg("days", 30),
  replicates: arg("replicates", 20),
  horizon: arg("horizon", 120),
  workers: arg("workers", Math.min(2, cpus().length)),
  levels: [10, 100, 1000, 10_000],
  seqDays: arg("seq-days", 400),
  seqReplicates: arg("seq-replicates", 200),
  seqHorizon: arg("seq-horizon", 2880),
};

const jobs = [
  // Longest first, so the two workers finish together.
  ...[...options.levels]
    .reverse()
    .map((rate, i) => ({ kind: "fa", rate, days: options.days, seed: 1000 + i })),
  ...SCENARIOS.flatMap((s, i) =>
    options.levels.map((rate, j) => ({
      kind: "detect",
      rate,
      scenario: s.key,
      replicates: options.replicates,
      horizon: options.horizon,
      seed: 2000 + 10 * i + j,
    })),
  ),
  ...options.levels.map((rate) => ({ kind: "cpu", rate, iterations: 300 })),
  ...options.levels.map((rate, i) => ({
    kind: "seq-fa",
    rate,
    days: options.seqDays,
    seed: 3000 + i,
  })),
  ...SEQUENTIAL_SCENARIOS.flatMap((scenario, i) =>
    options.levels.map((rate, j) => ({
      kind: "seq-detect",
      rate,
      scenario,
      replicates: options.seqReplicates,
      horizon: options.seqHorizon,
      seed: 4000 + 10 * i + j,
    })),
  ),
];

const started = performance.now();
const { url, cleanup } = await bundleAlerts();
const results = [];
try {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      const worker = new Worker(join(HERE, "lib", "detection-worker.mjs"), {
        workerData: { bundle: url },
      });
      try {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const done = await new Promise((resolve, reject) => {
            worker.once("message", resolve);
            worker.once("error", reject);
            worker.postMessage(job);
          });
          worker.removeAllListeners("error");
          results.push(done);
          const what = job.kind === "detect" ? `${job.kind} ${job.scenario}` : job.kind;
          console.log(`${what} @ ${job.rate}/min: ${done.seconds.toFixed(1)} s`);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
} finally {
  cleanup();
}
const seconds = (performance.now() - started) / 1000;
const out = join(HERE, "results", "detection.md");
writeFileSync(out, renderReport({ options, results, seconds }));
console.log(`wrote bench/results/detection.md in ${seconds.toFixed(0)} s`);
// The cold-start table (a deployment with no history): bench/results/cold-start.md.
await (await import("./lib/cold-start.mjs")).writeColdStart();
