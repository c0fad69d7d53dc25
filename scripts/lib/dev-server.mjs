// Starts the Worker locally with `wrangler dev` (D1, Queues, Durable Objects in
// workerd) after applying the D1 migrations, and waits until it answers.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";

// NOTE: run wrangler's JS entry with this very Node (22, from the `node` devDependency),
// not its shebang, which would pick whatever `node` is first on PATH.
const WRANGLER = join("node_modules", "wrangler", "bin", "wrangler.js");

// Everything stays on this machine: no Request.cf download, no usage metrics, and no banner
// (whose update check would ask the package registry).
const LOCAL_ONLY = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
};

/** Copies .dev.vars.example to .dev.vars on first run so ADMIN_TOKEN is set. */
export function ensureDevVars() {
  if (!existsSync(".dev.vars")) copyFileSync(".dev.vars.example", ".dev.vars");
}

export function applyMigrations(persistTo) {
  const args = ["d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  // CI=true keeps wrangler from asking for confirmation.
  const r = spawnSync(process.execPath, [WRANGLER, ...args], {
    stdio: "pipe",
    env: { ...process.env, ...LOCAL_ONLY, CI: "true" },
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout);
    process.stderr.write(r.stderr);
    throw new Error("applying D1 migrations failed");
  }
}

/** Runs a SQL file against the local D1 (e.g. seed data for tests and benchmarks). */
export function executeSqlFile(file, persistTo) {
  const args = ["d1", "execute", "DB", "--local", "--file", file];
  if (persistTo) args.push("--persist-to", persistTo);
  const r = spawnSync(process.execPath, [WRANGLER, ...args], {
    stdio: "pipe",
    env: { ...process.env, ...LOCAL_ONLY, CI: "true" },
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout);
    process.stderr.write(r.stderr);
    throw new Error(`executing ${file} failed`);
  }
}

export async function waitUntilUp(base, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer at ${base} within ${timeoutMs} ms`);
}

/**
 * Starts `wrangler dev` on 127.0.0.1:port. Returns {base, child, stop}.
 * Logs go to the given stream function (default: dropped).
 * localTraces: false turns off wrangler dev's local trace collector (X_LOCAL_OBSERVABILITY),
 * which records every invocation of the Worker and of each Durable Object into a trace store
 * inside the same workerd; benchmarks that compare routes turn it off (docs/benchmarks.md).
 */
export async function startDevServer({
  port = 8787,
  persistTo,
  vars = {},
  onLog,
  migrate = true,
  localTraces = true,
} = {}) {
  ensureDevVars();
  // migrate: false when the caller applied them already (e.g. before seeding).
  if (migrate) applyMigrations(persistTo);
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--test-scheduled",
    "--show-interactive-dev-session=false",
  ];
  if (persistTo) args.push("--persist-to", persistTo);
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...LOCAL_ONLY,
      ...(localTraces ? {} : { X_LOCAL_OBSERVABILITY: "false" }),
    },
  });
  const log = onLog ?? (() => {});
  child.stdout.on("data", (d) => log(String(d)));
  child.stderr.on("data", (d) => log(String(d)));
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(base, child);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  return { base, child, stop };
}
