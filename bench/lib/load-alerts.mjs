// Bundles the real rule engine (src/alerts, src/monitor buckets) for Node with esbuild into a
// temporary directory and imports it, so the bench runs the TypeScript the Worker runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const ENTRY = `
export { evaluateRule, evaluateRules } from "./src/alerts/evaluation/evaluate";
export { DEFAULT_RULES, PSI_ALPHA } from "./src/alerts/rules/default-rules";
export { RuleSchema } from "./src/alerts/rules/rule-schema";
export { DISTRIBUTION_METRICS, MIX_METRICS, RATE_METRICS } from "./src/alerts/rules/rule-metrics";
export { addEvent, emptyBucket, mergeBuckets } from "./src/window/bucket";
export { sketchQuantile } from "./src/window/sketch";
export * as drift from "./src/drift";
export { metricArl0 } from "./src/alerts/evaluation/sequential";
export { SEQUENTIAL_DAYS } from "./src/alerts/rules/default-rules";
`;

/**
 * Writes the bundle (of `entry`, exports from the repository's root; the rule engine by
 * default); returns its file URL and a cleanup function for the temp directory.
 */
export async function bundleAlerts(entry = ENTRY) {
  const dir = mkdtempSync(join(tmpdir(), "driftwatch-alerts-"));
  const outfile = join(dir, "alerts.mjs");
  await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: "ts", sourcefile: "bench-entry.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile,
    logLevel: "warning",
  });
  return {
    url: pathToFileURL(outfile).href,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Bundles and imports the engine (or `entry`) in this thread. */
export async function loadAlerts(entry = ENTRY) {
  const { url, cleanup } = await bundleAlerts(entry);
  try {
    return await import(url);
  } finally {
    cleanup();
  }
}
