// The fresh apps the package test installs the tarball into, one per target: each sends
// one event for its own deployment name to DW_URL (the receiver), as a user's app would.

const KEY = "dw_ingest_package_test";
const EVENT = '{ latency_ms: 120, status: "ok", model: "gpt-4o-mini", output_chars: 42 }';

/** TypeScript settings of a strict Node user: no DOM, no @types/node, library checking on. */
const nodeTsconfig = JSON.stringify({
  compilerOptions: {
    module: "node16",
    moduleResolution: "node16",
    target: "es2022",
    lib: ["es2022"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  },
});

// A wrong field type that must not compile: proves the declarations are really in use.
const typeProbe = (deployment) => `
const monitor: Monitor = createNodeMonitor({ endpoint: "http://x", key: "k", deployment: "${deployment}" });
monitor.track(${EVENT});
// @ts-expect-error latency_ms is a number
monitor.track({ latency_ms: "slow" });
export const id: string | undefined = monitor.lastEventId;
`;

export const apps = {
  "node-esm": {
    "package.json": { type: "module" },
    "index.mjs": `import { createNodeMonitor } from "@driftwatch/sdk";
const monitor = createNodeMonitor({ endpoint: process.env.DW_URL, key: "${KEY}", deployment: "node-esm" });
monitor.track(${EVENT});
// No flush: the Node adapter sends the queue when the event loop empties.
`,
    "types.ts": `import { createNodeMonitor, type Monitor } from "@driftwatch/sdk";${typeProbe("node-esm")}`,
    "tsconfig.json": nodeTsconfig,
  },
  "node-cjs": {
    "package.json": { type: "commonjs" },
    "index.js": `const { createNodeMonitor } = require("@driftwatch/sdk");
const monitor = createNodeMonitor({ endpoint: process.env.DW_URL, key: "${KEY}", deployment: "node-cjs" });
monitor.track(${EVENT});
`,
    "types.cts": `import { createNodeMonitor, type Monitor } from "@driftwatch/sdk";${typeProbe("node-cjs")}`,
    "tsconfig.json": nodeTsconfig,
  },
  worker: {
    "package.json": { type: "module" },
    "wrangler.toml": `name = "sdk-package-worker"
main = "src/index.js"
compatibility_date = "2026-11-01"
`,
    "src/index.js": `import { createWorkerMonitor } from "@driftwatch/sdk";
export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/send") return new Response("up");
    const monitor = createWorkerMonitor({ endpoint: env.DW_URL, key: "${KEY}", deployment: "worker" }, ctx);
    monitor.track(${EVENT});
    return new Response("ok");
  },
};
`,
  },
  "browser-bundled": {
    "package.json": { type: "module" },
    "main.js": `import { createBrowserMonitor } from "@driftwatch/sdk";
const monitor = createBrowserMonitor({ endpoint: location.origin, key: "${KEY}", deployment: "browser-bundled" });
monitor.track(${EVENT});
monitor.flush().then(() => { document.title = "sent"; });
`,
  },
  "browser-script": {
    "package.json": { type: "module" },
  },
};

/** The page that loads the classic <script> file: it defines window.Driftwatch. */
export const scriptPage = `<!doctype html><title>script</title>
<script src="/script/driftwatch.min.js"></script>
<script>
  const monitor = Driftwatch.createBrowserMonitor({ endpoint: location.origin, key: "${KEY}", deployment: "browser-script" });
  monitor.track(${EVENT});
  monitor.flush().then(() => { document.title = "sent"; });
</script>`;

/** The page that imports the minified ESM file as from a CDN. */
export const esmPage = `<!doctype html><title>esm</title>
<script type="module">
  import { createBrowserMonitor } from "/script/driftwatch.min.mjs";
  const monitor = createBrowserMonitor({ endpoint: location.origin, key: "${KEY}", deployment: "browser-cdn-esm" });
  monitor.track(${EVENT});
  monitor.flush().then(() => { document.title = "sent"; });
</script>`;

export const bundledPage = `<!doctype html><title>bundled</title><script type="module" src="/bundled/main.js"></script>`;

export { KEY };
