// Builds @driftwatch/sdk into dist/: one bundle per runtime and module format (esbuild),
// the browser files minified, and type declarations (tsc). Run from the repository,
// whose node_modules provide esbuild and typescript: `npm run build` in this folder.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
const entry = join(root, "src/index.ts");
const { version } = createRequire(import.meta.url)("../package.json");

// Every file: the same code and API; they differ in module format and language level.
const targets = [
  // Node ≥ 18: import and require.
  { outfile: "index.mjs", format: "esm", platform: "node", target: "node18" },
  { outfile: "index.cjs", format: "cjs", platform: "node", target: "node18" },
  // Cloudflare Workers (the `workerd` / `worker` conditions wrangler resolves).
  { outfile: "worker.mjs", format: "esm", platform: "neutral", target: "es2022" },
  // Browsers through a bundler (the `browser` condition): left readable, the app's bundler minifies.
  { outfile: "browser.mjs", format: "esm", platform: "browser", target: "es2020" },
  // Browsers without a bundler: an ESM file for a CDN, and a classic <script> file
  // that defines `window.Driftwatch`.
  {
    outfile: "driftwatch.min.mjs",
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
  },
  {
    outfile: "driftwatch.min.js",
    format: "iife",
    globalName: "Driftwatch",
    platform: "browser",
    target: "es2020",
    minify: true,
  },
];

rmSync(dist, { recursive: true, force: true });
await Promise.all(
  targets.map(({ outfile, ...options }) =>
    build({
      entryPoints: [entry],
      outfile: join(dist, outfile),
      bundle: true,
      legalComments: "none",
      banner: { js: `/* @driftwatch/sdk ${version} */` },
      logLevel: "warning",
      ...options,
    }),
  ),
);

// Declarations into dist/types, and one entry per module format so TypeScript's
// node16/bundler resolution sees ESM types for `import` and CommonJS types for `require`.
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
const reexport = 'export * from "./types/index.js";\n';
writeFileSync(join(dist, "index.d.mts"), reexport);
writeFileSync(join(dist, "index.d.cts"), reexport);
