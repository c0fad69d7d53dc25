// Measures the built browser files of @driftwatch/sdk (min + gzip) against the 5 KB budget
// and writes bench/results/sdk-size.md. Run: npm run bench:sdk-size (builds packages/sdk first).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const LIMIT = 5 * 1024;
const sdk = new URL("../packages/sdk/", import.meta.url).pathname;
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: sdk, stdio: "inherit" });

const sizes = (code) => ({ min: code.length, gzip: gzipSync(code).length });
const file = (name) => sizes(readFileSync(`${sdk}dist/${name}`));

// The files a page loads as they are: the <script> file and the CDN ESM file.
const script = file("driftwatch.min.js");
const esm = file("driftwatch.min.mjs");
// A typical bundled page: the browser monitor only, tree-shaken from the package's browser build.
const shaken = await build({
  stdin: {
    contents: 'export { createBrowserMonitor } from "./dist/browser.mjs";',
    resolveDir: sdk,
  },
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  write: false,
});
const browser = sizes(shaken.outputFiles[0].contents);

const worst = Math.max(script.gzip, esm.gzip);
const pass = worst <= LIMIT;
const row = (name, r) => `| ${name} | ${r.min} | ${r.gzip} |`;
const report = `# SDK bundle size

The built browser files of \`@driftwatch/sdk\` (\`packages/sdk/scripts/build.mjs\`: esbuild,
minified, ES2020), gzip with node:zlib defaults. Target: each browser file ≤ ${LIMIT} bytes
(5 KB) min+gzip.

| file | min bytes | min+gzip bytes |
|---|---|---|
${row("`dist/driftwatch.min.js` (the `<script>` file, every export on `window.Driftwatch`)", script)}
${row("`dist/driftwatch.min.mjs` (ESM for a CDN, every export)", esm)}
${row("`createBrowserMonitor` only, tree-shaken from `dist/browser.mjs` by esbuild", browser)}

Result: **${pass ? "PASS" : "FAIL"}**: ${worst} B of ${LIMIT} B (${((100 * worst) / LIMIT).toFixed(0)} %).
`;
writeFileSync(new URL("results/sdk-size.md", import.meta.url), report);
console.log(`<script> file:  ${script.min} B min, ${script.gzip} B min+gzip`);
console.log(`CDN ESM file:   ${esm.min} B min, ${esm.gzip} B min+gzip`);
console.log(`browser monitor only: ${browser.min} B min, ${browser.gzip} B min+gzip`);
console.log(`target ${LIMIT} B: ${pass ? "PASS" : "FAIL"}`);
if (!pass) process.exitCode = 1;
