// The SDK as a user gets it: builds packages/sdk, packs it with `npm pack`, installs the
// tarball (offline) into a fresh app per target and sends one event from each to a local
// receiver, asserting what arrived: Node 20 ESM and CommonJS (typechecked too), a Worker
// bundled by wrangler and run by `wrangler dev`, a page bundled by esbuild, and the plain
// <script> and CDN ESM files in Chromium. Part of `npm test`; about a minute.
//   node test/sdk-package/run.mjs        KEEP=1 keeps the temporary apps;
//   SDK_PACKAGE_PORT=8824 is the Worker's `wrangler dev` port
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { waitUntilUp } from "../../scripts/lib/dev-server.mjs";
import { ensureChromium } from "../e2e/ensure-chromium.mjs";
import { apps, bundledPage, esmPage, KEY, scriptPage } from "./apps.mjs";
import { startReceiver } from "./receiver.mjs";
import { installApp, packSdk } from "./tarball.mjs";

const root = join(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const TSC = require.resolve("typescript/bin/tsc");
const WRANGLER = join(root, "node_modules/wrangler/bin/wrangler.js");
const PORT = Number(process.env.SDK_PACKAGE_PORT ?? 8824);
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const LOCAL_ONLY = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
};
const started = Date.now();
const step = (what) =>
  console.log(`sdk-package: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

/** The first `node` on PATH outside node_modules (npm scripts put the pinned Node 22 first). */
function userNode() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes("node_modules")) continue;
    if (existsSync(join(dir, "node"))) return join(dir, "node");
  }
  return undefined;
}

const run = (file, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${file} ${args.join(" ")} exited ${code}:\n${out}`)),
    );
  });

const work = mkdtempSync(join(tmpdir(), "driftwatch-sdk-package-"));
const receiver = await startReceiver();
let browser;
let worker;
try {
  // 1. Pack, as `npm publish` would (prepack builds dist/).
  const { tarball, info, files } = packSdk(work);
  for (const expected of [
    "package.json",
    "README.md",
    "CHANGELOG.md",
    "dist/index.mjs",
    "dist/index.cjs",
    "dist/worker.mjs",
    "dist/browser.mjs",
    "dist/driftwatch.min.js",
    "dist/driftwatch.min.mjs",
    "dist/index.d.mts",
    "dist/index.d.cts",
    "dist/types/index.d.ts",
  ]) {
    assert.ok(files.includes(expected), `the tarball lacks ${expected}`);
  }
  assert.deepEqual(
    files.filter((f) => !/^(dist\/|package\.json|README\.md|CHANGELOG\.md)/.test(f)),
    [],
  );
  step(`packed ${info.filename}: ${files.length} files, ${info.size} bytes`);

  // 2. A fresh app per target, the tarball installed offline (zero dependencies: nothing else).
  const appDir = {};
  for (const [name, app] of Object.entries(apps)) {
    const dir = join(work, name);
    installApp(dir, app, tarball);
    assert.deepEqual(
      readdirSync(join(dir, "node_modules")).filter((d) => !d.startsWith(".")),
      ["@driftwatch"],
    );
    appDir[name] = dir;
  }
  step(`installed into ${Object.keys(apps).length} apps`);

  // 3. Node: the user's Node (20 on CI) runs the ESM and CommonJS apps; tsc checks their types.
  const node = userNode();
  const nodeToUse = node ?? process.execPath;
  const version = execFileSync(nodeToUse, ["-v"], { encoding: "utf8" }).trim();
  if (!node)
    console.log(
      `sdk-package: no node on PATH outside node_modules; Node targets run on ${version}`,
    );
  const env = { ...process.env, DW_URL: receiver.base };
  await run(nodeToUse, ["index.mjs"], { cwd: appDir["node-esm"], env });
  await run(nodeToUse, ["index.js"], { cwd: appDir["node-cjs"], env });
  for (const name of ["node-esm", "node-cjs"]) {
    execFileSync(process.execPath, [TSC, "-p", appDir[name]], { stdio: "inherit" });
  }
  step(`Node ${version} ESM and CommonJS sent; their types check`);

  // 4. Worker: wrangler bundles it (resolving the workerd condition), workerd runs it.
  const out = join(appDir.worker, "out");
  execFileSync(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", "--outdir", out, "--metafile", join(out, "meta.json")],
    { cwd: appDir.worker, env: { ...process.env, ...LOCAL_ONLY }, stdio: "pipe" },
  );
  const workerInputs = Object.keys(JSON.parse(readFileSync(join(out, "meta.json"), "utf8")).inputs);
  assert.ok(
    workerInputs.some((f) => f.endsWith("@driftwatch/sdk/dist/worker.mjs")),
    `wrangler bundled ${workerInputs.join(", ")}`,
  );
  // NOTE: `wrangler dev` (not Miniflare's own API, which changes between majors) runs it.
  worker = spawn(
    process.execPath,
    [
      WRANGLER,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(PORT),
      "--var",
      `DW_URL:${receiver.base}`,
    ].concat(["--show-interactive-dev-session=false"]),
    { cwd: appDir.worker, env: { ...process.env, ...LOCAL_ONLY }, stdio: "ignore" },
  );
  await waitUntilUp(`http://127.0.0.1:${PORT}`, worker);
  assert.equal(await (await fetch(`http://127.0.0.1:${PORT}/send`)).text(), "ok");
  await receiver.waitFor("worker");
  step("Worker bundled by wrangler sent under wrangler dev");

  // 5. Browsers: a page bundled by esbuild (browser condition), the <script> file, the CDN ESM file.
  const bundle = await build({
    absWorkingDir: appDir["browser-bundled"],
    entryPoints: ["main.js"],
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const browserInputs = Object.keys(bundle.metafile.inputs);
  assert.ok(
    browserInputs.some((f) => f.endsWith("@driftwatch/sdk/dist/browser.mjs")),
    browserInputs.join(", "),
  );
  const dist = join(appDir["browser-script"], "node_modules/@driftwatch/sdk/dist");
  const js = "text/javascript";
  receiver.serve("/bundled/", bundledPage, "text/html");
  receiver.serve("/bundled/main.js", bundle.outputFiles[0].text, js);
  receiver.serve("/script/", scriptPage, "text/html");
  receiver.serve("/esm/", esmPage, "text/html");
  receiver.serve("/script/driftwatch.min.js", readFileSync(join(dist, "driftwatch.min.js")), js);
  receiver.serve("/script/driftwatch.min.mjs", readFileSync(join(dist, "driftwatch.min.mjs")), js);
  ensureChromium(CHROMIUM);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  for (const path of ["/bundled/", "/script/", "/esm/"]) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(receiver.base + path);
    await page
      .waitForFunction(() => document.title === "sent", null, { timeout: 10_000 })
      .catch(() => {
        throw new Error(`${path} did not send: ${errors.join("; ") || "no page error"}`);
      });
    await page.close();
  }
  step("browser pages sent (esbuild bundle, <script>, CDN ESM)");

  // 6. Each target's event arrived once, whole, with the ingest key.
  for (const deployment of [
    "node-esm",
    "node-cjs",
    "worker",
    "browser-bundled",
    "browser-script",
    "browser-cdn-esm",
  ]) {
    const requests = await receiver.waitFor(deployment);
    assert.equal(requests.length, 1, `${deployment}: one request`);
    const [request] = requests;
    assert.equal(request.authorization, `Bearer ${KEY}`, deployment);
    assert.equal(request.contentType, "application/json", deployment);
    assert.equal(request.events.length, 1, `${deployment}: one event`);
    const [event] = request.events;
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(typeof event.ts, "number");
    assert.deepEqual(
      { ...event, id: undefined, ts: undefined },
      {
        deployment,
        latency_ms: 120,
        status: "ok",
        model: "gpt-4o-mini",
        output_chars: 42,
        id: undefined,
        ts: undefined,
      },
    );
  }
  step("every target's event arrived once with the ingest key: ok");
} finally {
  await browser?.close();
  worker?.kill("SIGTERM");
  await receiver.close();
  if (process.env.KEEP) console.log(`sdk-package: apps kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
