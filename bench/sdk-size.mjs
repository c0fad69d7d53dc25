// Measures the browser SDK bundle (min + gzip) against the 5 KB budget and writes
// bench/results/sdk-size.md. Run: node_modules/.bin/node bench/sdk-size.mjs
import { writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const LIMIT = 5 * 1024;
const root = new URL("..", import.meta.url).pathname;

const measure = async (contents) => {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code).length };
};

// Worst case: everything `driftwatch/sdk` exports (index re-exports the browser adapter).
const full = await measure('export * from "./src/sdk/index.ts";');
// A typical page: the browser monitor only, as a tree-shaking bundler would ship it.
const browser = await measure('export { createBrowserMonitor } from "./src/sdk/browser.ts";');

const pass = full.gzip <= LIMIT;
const row = (name, r) => `| ${name} | ${r.min} | ${r.gzip} |`;
const report = `# SDK bundle size

esbuild, minified, \`format: esm\`, \`platform: browser\`, then gzip (node:zlib defaults).
Target: the browser build ≤ ${LIMIT} bytes (5 KB) min+gzip.

| entry | min bytes | min+gzip bytes |
|---|---|---|
${row("`driftwatch/sdk` (index: all exports incl. browser adapter + instrumentation)", full)}
${row("`createBrowserMonitor` only (src/sdk/browser.ts)", browser)}

Result: **${pass ? "PASS" : "FAIL"}**: ${full.gzip} B of ${LIMIT} B (${((100 * full.gzip) / LIMIT).toFixed(0)} %).
`;
await writeFile(new URL("results/sdk-size.md", import.meta.url), report);
console.log(`sdk (index, all exports): ${full.min} B min, ${full.gzip} B min+gzip`);
console.log(`browser monitor only:     ${browser.min} B min, ${browser.gzip} B min+gzip`);
console.log(`target ${LIMIT} B: ${pass ? "PASS" : "FAIL"}`);
if (!pass) process.exitCode = 1;
