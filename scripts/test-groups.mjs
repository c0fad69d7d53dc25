// Splits the vitest files in two groups (vitest.config.ts):
// - "bindings": a file that touches D1, Queues, Durable Objects, R2, the Worker (SELF) or
//   the outbound fetch mock, itself or through a test/ helper it imports. Each runs in a
//   fresh workerd with its own storage (vitest's per-file isolation).
// - "logic": every other file (statistics, sketches, rules, renderers). They share one
//   workerd and its module cache, which saves a runtime start and a module graph per file.
// A file is put in "bindings" on any sign of a binding, so a doubt costs time, never
// isolation.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** What a file that needs its own storage mentions. */
const BINDING_SIGNS = [
  "cloudflare:test",
  "cloudflare:workers",
  "SELF",
  "env.",
  "fetchMock",
  "runInDurableObject",
  "createExecutionContext",
];

const TEST_FILE = /\.test\.tsx?$/;
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function listTestFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTestFiles(full);
    return TEST_FILE.test(entry.name) ? [full] : [];
  });
}

/** The file an import names, if it is one of test/'s own modules. */
function resolveTestModule(from, specifier, testDir) {
  const base = path.resolve(path.dirname(from), specifier);
  if (!base.startsWith(testDir + path.sep)) return undefined;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {}
  }
  return undefined;
}

function needsBindings(file, testDir, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  if (BINDING_SIGNS.some((sign) => text.includes(sign))) return true;
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const helper = resolveTestModule(file, match[1], testDir);
    if (helper && needsBindings(helper, testDir, seen)) return true;
  }
  return false;
}

/** Test files (relative to root, "/"-separated) by group. */
export function testGroups(root) {
  const testDir = path.join(root, "test");
  const groups = { bindings: [], logic: [] };
  for (const file of listTestFiles(testDir).sort()) {
    if (file.includes(`${path.sep}e2e${path.sep}`)) continue;
    const relative = path.relative(root, file).split(path.sep).join("/");
    groups[needsBindings(file, testDir) ? "bindings" : "logic"].push(relative);
  }
  return groups;
}
