// Mutation testing on demand: plants each one-line bug of scripts/mutations.mjs in src/
// (one at a time), runs the test files that cover it, and records whether a test failed
// (killed) or not (survived). Writes bench/results/mutation.md. The original file is
// always put back: after each run, on Ctrl-C / SIGTERM, and, should the process have been
// killed outright, from the backup it left (.mutate-backup.json) at the next start.
// Usage: npm run mutate [-- --core | --only id,id] [-- --full] [-- --no-report | --check]
//   --core   the 30-mutation cross-section of every module (about 20 minutes)
//   --full   re-runs the whole suite on each survivor (slow: minutes per survivor)
//   --check  plants nothing: checks that every mutation still applies (its text occurs once
//            in its file, its test paths exist, every --core id is listed); run by lint
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORE, MUTATIONS } from "./mutations.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BACKUP = join(ROOT, ".mutate-backup.json");
const REPORT = join(ROOT, "bench/results/mutation.md");
const RUN_TIMEOUT_MS = 5 * 60_000;

const argValue = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = process.argv.includes("--core") ? CORE : argValue("only")?.split(",");
const full = process.argv.includes("--full");
const writeReport = !process.argv.includes("--no-report");

/** The file currently mutated: { path, original } or null. */
let planted = null;
let child = null;

function restore() {
  if (planted) {
    writeFileSync(planted.path, planted.original);
    planted = null;
  }
  if (existsSync(BACKUP)) rmSync(BACKUP);
}

function recoverFromCrash() {
  if (!existsSync(BACKUP)) return;
  const { path, original } = JSON.parse(readFileSync(BACKUP, "utf8"));
  writeFileSync(path, original);
  rmSync(BACKUP);
  console.log(`restored ${path} from a previous run's backup`);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (child) child.kill("SIGTERM");
    restore();
    console.log(`\n${signal}: source restored`);
    process.exit(130);
  });
}
process.on("exit", restore);

function plant(m) {
  const path = join(ROOT, m.file);
  const original = readFileSync(path, "utf8");
  const at = original.indexOf(m.find);
  if (at < 0 || original.indexOf(m.find, at + 1) >= 0) {
    throw new Error(`${m.id}: "${m.find}" must occur exactly once in ${m.file}`);
  }
  writeFileSync(BACKUP, JSON.stringify({ path, original }));
  planted = { path, original };
  writeFileSync(path, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
}

/** Runs vitest on `files` (all tests when empty); resolves to its exit code (null: timeout). */
function vitest(files) {
  return new Promise((resolve) => {
    const args = ["vitest", "run", "--bail=1", "--reporter=dot", ...files];
    // The vitest binary itself (not npx), so that killing the child stops the run.
    child = spawn(join(ROOT, "node_modules/.bin/vitest"), args.slice(1), {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "ignore"],
    });
    const timer = setTimeout(() => child?.kill("SIGTERM"), RUN_TIMEOUT_MS);
    child.on("exit", (code) => {
      clearTimeout(timer);
      child = null;
      resolve(code);
    });
  });
}

/** Why each mutation of `list` cannot be planted as written (none: all apply). */
function problemsOf(list) {
  const problems = [];
  const ids = new Set(MUTATIONS.map((m) => m.id));
  for (const id of CORE)
    if (!ids.has(id)) problems.push(`--core names '${id}', which no mutation has`);
  for (const m of list) {
    const path = join(ROOT, m.file);
    if (!existsSync(path)) {
      problems.push(`${m.id}: ${m.file} does not exist`);
    } else if (readFileSync(path, "utf8").split(m.find).length !== 2) {
      problems.push(`${m.id}: "${m.find}" must occur exactly once in ${m.file}`);
    }
    // A test path is a file, a folder (ends in /) or a file-name prefix vitest filters by.
    for (const t of m.tests) {
      const target = join(ROOT, t);
      if (!existsSync(target) && !existsSync(`${target}.test.ts`)) {
        problems.push(`${m.id}: test path ${t} does not exist`);
      }
    }
  }
  return problems;
}

async function main() {
  if (process.argv.includes("--check")) {
    const problems = problemsOf(MUTATIONS);
    for (const p of problems) console.error(p);
    if (problems.length > 0) process.exit(1);
    console.log(`${MUTATIONS.length} mutations apply (${CORE.length} in --core)`);
    return;
  }
  recoverFromCrash();
  const list = only ? MUTATIONS.filter((m) => only.includes(m.id)) : MUTATIONS;
  if (list.length === 0) throw new Error("no mutation selected");
  // A mutation that does not apply fails the run before anything is planted.
  const problems = problemsOf(list);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const started = Date.now();
  const results = [];
  for (const [i, m] of list.entries()) {
    const t0 = Date.now();
    plant(m);
    let code;
    try {
      code = await vitest(m.tests);
      if (code === 0 && full) code = await vitest([]);
    } finally {
      restore();
    }
    const status = code === 0 ? "survived" : code === null ? "timeout" : "killed";
    results.push({ ...m, status, seconds: (Date.now() - t0) / 1000 });
    console.log(
      `${String(i + 1).padStart(2)}/${list.length} ${status.padEnd(8)} ${m.id} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
    // Rewritten after every mutation, so an interrupted run still leaves its partial report.
    if (writeReport)
      writeFileSync(REPORT, renderReport(results, { full, started, of: list.length }));
  }
  const killed = results.filter((r) => r.status !== "survived").length;
  const score = (100 * killed) / results.length;
  console.log(`\nmutation score: ${killed}/${results.length} = ${score.toFixed(1)} %`);
  if (writeReport) console.log(`wrote ${REPORT.slice(ROOT.length + 1)}`);
  if (results.some((r) => r.status === "survived")) process.exitCode = 1;
}

function renderReport(results, { full, started, of }) {
  const killed = results.filter((r) => r.status !== "survived").length;
  const score = (100 * killed) / results.length;
  const partial =
    results.length < of ? ` (partial: the run stopped after ${results.length} of ${of})` : "";
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const byModule = new Map();
  for (const r of results) {
    const m = byModule.get(r.module) ?? { total: 0, killed: 0 };
    m.total++;
    if (r.status !== "survived") m.killed++;
    byModule.set(r.module, m);
  }
  const survivors = results.filter((r) => r.status === "survived");
  const code = (s) => `\`${s.replaceAll("|", "\\|").replaceAll("\n", "⏎")}\``;
  return [
    "# Mutation testing",
    "",
    `Generated by \`npm run mutate\` (scripts/mutate.mjs) on ${new Date(started).toISOString().slice(0, 16)} UTC` +
      ` in ${minutes} min: ${results.length} of the ${MUTATIONS.length} one-line bugs of scripts/mutations.mjs` +
      ` planted in src/, one at a time, each` +
      " against the test files that cover it" +
      (full ? ", then the whole suite on the survivors." : "."),
    "",
    `**Score: ${killed}/${results.length} killed = ${score.toFixed(1)} %**${partial}`,
    "",
    "| module | planted | killed |",
    "|---|---:|---:|",
    ...[...byModule].map(([name, m]) => `| ${name} | ${m.total} | ${m.killed} |`),
    "",
    "## Survivors",
    "",
    survivors.length === 0
      ? "None."
      : survivors
          .map(
            (r) =>
              `- **${r.id}** (${r.file}): ${code(r.find)} → ${code(r.replace)}. ${r.why ?? "No test fails: a gap to close."}`,
          )
          .join("\n"),
    "",
    "## Every mutation",
    "",
    "| id | module | file | change | result | s |",
    "|---|---|---|---|---|---:|",
    ...results.map(
      (r) =>
        `| ${r.id} | ${r.module} | ${r.file} | ${code(r.find)} → ${code(r.replace)} | ${r.status} | ${r.seconds.toFixed(0)} |`,
    ),
    "",
  ].join("\n");
}

main().catch((error) => {
  restore();
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
