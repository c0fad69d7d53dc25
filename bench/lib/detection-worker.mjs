// Worker thread for bench/detection: imports the bundled engine once, then runs jobs it is sent.
import { parentPort, workerData } from "node:worker_threads";
import { runCpu } from "./detection-cpu.mjs";
import { runDetection, runFalseAlarms } from "./detection-jobs.mjs";
import { runSequentialDetection, runSequentialFalseAlarms } from "./detection-sequential.mjs";

const alerts = await import(workerData.bundle);
const run = {
  fa: runFalseAlarms,
  detect: runDetection,
  cpu: runCpu,
  "seq-fa": runSequentialFalseAlarms,
  "seq-detect": runSequentialDetection,
};

parentPort.on("message", (job) => {
  const started = performance.now();
  const result = run[job.kind](alerts, job);
  parentPort.postMessage({ job, result, seconds: (performance.now() - started) / 1000 });
});
