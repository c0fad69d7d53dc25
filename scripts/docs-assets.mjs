// Copies the API reference's script (the pinned @scalar/api-reference's standalone bundle)
// into the Workers static assets directory, where /docs loads it from this Worker's own
// origin. wrangler.toml's [build] runs it before every `wrangler dev` and `wrangler deploy`;
// vitest.config.ts runs it before the tests. The copy is git-ignored: the pinned version in
// package.json (and package-lock.json) is the source of truth.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

const root = join(dirname(new URL(import.meta.url).pathname), "..");

/** Where /docs/assets/ is served from (wrangler.toml [assets] directory = "public"). */
export const DOCS_ASSETS_DIR = join(root, "public", "docs", "assets");

export function copyDocsAssets() {
  // The package's exports map does not expose its browser build, so the path is read directly.
  const packageDir = join(root, "node_modules", "@scalar", "api-reference");
  mkdirSync(DOCS_ASSETS_DIR, { recursive: true });
  copyFileSync(
    join(packageDir, "dist", "browser", "standalone.js"),
    join(DOCS_ASSETS_DIR, "api-reference.js"),
  );
}

if (process.argv[1] === new URL(import.meta.url).pathname) copyDocsAssets();
