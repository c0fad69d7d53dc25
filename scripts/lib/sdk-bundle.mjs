// Bundles the TypeScript client SDK (packages/sdk/src) for Node with esbuild and imports it, so the
// demo sends its traffic through the very SDK apps use. The bundle lives in .driftwatch/.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function loadSdk(dir = ".driftwatch") {
  mkdirSync(dir, { recursive: true });
  const outfile = resolve(join(dir, "sdk.mjs"));
  await build({
    entryPoints: ["packages/sdk/src/index.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "node22",
    outfile,
    logLevel: "warning",
  });
  // A query string per build so a re-bundle in the same process is not served from cache.
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
