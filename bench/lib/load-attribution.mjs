// Bundles what bench/attribution needs of the real engine (rule evaluation, effect sizes,
// segment counts) for Node with esbuild, as load-alerts.mjs does for bench/detection.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const ENTRY = `
export { evaluateRule, evaluateRules } from "./src/alerts/evaluation/evaluate";
export { effectOf } from "./src/alerts/evaluation/effect-size";
export { DEFAULT_RULES } from "./src/alerts/rules/default-rules";
export { emptyBucket } from "./src/window/bucket";
export { emptySegments, mergeSegments, addSegmentEvent } from "./src/window/segment-counts";
export { addMomentEvent, emptyMoments, mergeMoments } from "./src/window/segment-moments";
export { addEvent } from "./src/window/bucket";
`;

export async function loadAttribution() {
  const dir = mkdtempSync(join(tmpdir(), "driftwatch-attribution-"));
  const outfile = join(dir, "attribution.mjs");
  try {
    await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts", sourcefile: "bench-entry.ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      outfile,
      logLevel: "warning",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
