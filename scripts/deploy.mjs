// `npm run deploy -- --env production [other wrangler deploy options]`: refuses to deploy an
// environment whose PUBLIC_URL is missing, not a public https origin or still the committed
// placeholder, or whose D1 database_id is the all-zero placeholder (src/net/deploy-check.ts,
// the Worker's own rule), then runs `wrangler deploy` with the same options.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { parse } from "smol-toml";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);

/** `--env NAME` / `--env=NAME`, and every `--var NAME:VALUE` override. */
function options(argv) {
  let env;
  const vars = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = inline ?? argv[i + 1];
    if (flag === "--env" || flag === "-e") env = value;
    if (flag === "--var" && value) {
      const [name, ...rest] = value.split(":");
      vars[name] = rest.join(":");
    }
  }
  return { env, vars };
}

const { env, vars } = options(args);
if (!env) {
  console.error("Name the environment: npm run deploy -- --env production (or staging)");
  process.exit(2);
}
// The check is TypeScript shared with the Worker: bundle it to run it here.
const bundled = await build({
  entryPoints: [join(root, "src/net/deploy-check.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
});
const code = bundled.outputFiles[0].text;
const { deployProblems } = await import(`data:text/javascript;base64,${btoa(code)}`);
const config = parse(readFileSync(join(root, "wrangler.toml"), "utf8"));
const problems = deployProblems(config, env, vars);
if (problems.length > 0) {
  console.error(`Not deploying env.${env}:`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error("See docs/operations.md, Deploying to Cloudflare.");
  process.exit(1);
}
const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
const run = spawnSync(process.execPath, [wrangler, "deploy", ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);
