// @driftwatch/sdk as a user gets it: `npm pack` (whose prepack builds dist/), and a fresh
// app with the tarball installed offline (the package has no dependencies to fetch).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const SDK = join(import.meta.dirname, "../../packages/sdk");

/** Packs the SDK into `dir`; returns the tarball's path and `npm pack`'s file list. */
export function packSdk(dir) {
  const packed = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: SDK,
    encoding: "utf8",
  });
  const [info] = JSON.parse(packed.slice(packed.indexOf("[")));
  return { tarball: join(dir, info.filename), info, files: info.files.map((f) => f.path).sort() };
}

/**
 * Writes an app (file name → content; package.json given as an object) into `dir` with the
 * tarball as its dependency, and runs `npm install --offline` there.
 */
export function installApp(dir, files, tarball) {
  for (const [file, content] of Object.entries(files)) {
    const body =
      file === "package.json"
        ? JSON.stringify({
            name: "app",
            private: true,
            ...content,
            dependencies: { "@driftwatch/sdk": `file:${tarball}` },
          })
        : content;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), body);
  }
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
  });
}
