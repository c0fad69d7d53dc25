// bench/detection's cold-start table: a deployment with no history, evaluated every minute
// from its first event with the default rules against the baseline the Worker would use
// (src/alerts/evaluation/baseline-plan.ts: its own first traffic, then the rolling one).
// False alarms over its first 24 h on stationary traffic, and the delay of a change that
// starts at minute 30, 60 or 120 of its life. The window tests only: the sequential (CUSUM)
// rules need the Durable Object's state and are measured by bench/detection's own tables.
// Usage: node bench/lib/cold-start.mjs [--replicates 20]   (bench/detection runs it too)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { minutePool, rng, STATIONARY } from "./detection-sim.mjs";
import { IncidentTracker } from "./sliding.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const MIN = 60_000;
const HOUR = 60 * MIN;
const RATES = [10, 120, 1000];
const CHANGE_AT = [30, 60, 120];
const AFTER = 90;

const ENTRY = `
export { evaluateRules } from "./src/alerts/evaluation/evaluate";
export { baselinePlan } from "./src/alerts/evaluation/baseline-plan";
export { DEFAULT_RULES } from "./src/alerts/rules/default-rules";
export { addEvent, emptyBucket, mergeBuckets } from "./src/window/bucket";
`;

async function loadEngine() {
  const dir = mkdtempSync(join(tmpdir(), "driftwatch-cold-"));
  const outfile = join(dir, "cold.mjs");
  try {
    await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts", sourcefile: "cold-entry.ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      outfile,
      logLevel: "warning",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The issue's change: latency ×2.5 and thumbs-down 5 % → 40 %; and a subtler one. */
const CHANGES = [
  {
    key: "latency ×2.5, thumbs-down 5 % → 40 %",
    params: { ...STATIONARY, latencyMedian: STATIONARY.latencyMedian * 2.5, thumbsDown: 0.4 },
    metrics: ["latency_ms", "thumbs_down_rate"],
  },
  {
    key: "thumbs-down 5 % → 12 %",
    params: { ...STATIONARY, thumbsDown: 0.12 },
    metrics: ["thumbs_down_rate"],
  },
];

/**
 * One deployment's life, minute by minute from `born` (epoch ms): `minuteAt(m)` is its
 * bucket for minute m. Returns the minutes (of its life) at which rules started firing.
 */
function live(a, rules, born, minutes, minuteAt) {
  const buckets = [];
  const hours = new Map();
  const tracker = new IncidentTracker(rules);
  const fired = [];
  const merge = (list) => {
    const out = a.emptyBucket();
    for (const b of list) a.mergeBuckets(out, b);
    return out;
  };
  const range = (from, to) => {
    const out = [];
    for (let t = Math.max(from, born); t < to; t += MIN) {
      const b = buckets[(t - born) / MIN];
      if (b) out.push(b);
    }
    return out;
  };
  for (let m = 1; m <= minutes; m++) {
    const bucket = minuteAt(m - 1);
    buckets.push(bucket);
    const start = born + (m - 1) * MIN;
    const hour = Math.floor(start / HOUR) * HOUR;
    hours.set(hour, a.mergeBuckets(hours.get(hour) ?? a.emptyBucket(), bucket));
    const now = born + m * MIN;
    const plan = a.baselinePlan(now, born, 15, null);
    const parts = [];
    for (const p of plan.pieces) {
      if (p.resolution === "1m") parts.push(...range(p.from, p.to));
      else for (let h = p.from; h < p.to; h += HOUR) if (hours.has(h)) parts.push(hours.get(h));
    }
    const baseline = parts.length > 0 ? merge(parts) : null;
    const lived = Math.max(1, (plan.to - Math.max(plan.from, born)) / MIN);
    const input = (w) => ({
      current: merge(buckets.slice(-w)),
      baseline,
      currentMinutes: w,
      baselineMinutes: lived,
    });
    const windows = new Map([15, 5].map((w) => [w, input(w)]));
    for (const id of tracker.step(
      a.evaluateRules(rules, (w) => windows.get(w)),
      m,
    ))
      fired.push({ id, minute: m });
  }
  return fired;
}

export async function runColdStart({ replicates = 20, seed = 7000 } = {}) {
  const a = await loadEngine();
  const rules = a.DEFAULT_RULES.filter((r) => r.test !== "cusum");
  const out = { replicates, falseAlarms: [], delays: [] };
  for (const [i, rate] of RATES.entries()) {
    const pool = minutePool(a, { seed: seed + i, params: STATIONARY, rate, minutes: 1500 });
    const r = rng(seed + 100 + i);
    const draw = () => pool[Math.floor(r() * pool.length)];
    let alarms = 0;
    const byRule = {};
    for (let rep = 0; rep < replicates; rep++) {
      const born = 1_800_000_000_000 + Math.floor(r() * 60) * MIN;
      for (const f of live(a, rules, born, 24 * 60, draw)) {
        alarms++;
        byRule[f.id] = (byRule[f.id] ?? 0) + 1;
      }
    }
    out.falseAlarms.push({ rate, perDeployment: alarms / replicates, byRule });
    for (const [c, change] of CHANGES.entries()) {
      const changed = minutePool(a, {
        seed: seed + 200 + 10 * i + c,
        params: change.params,
        rate,
        minutes: 600,
      });
      for (const at of CHANGE_AT) {
        const delays = [];
        for (let rep = 0; rep < replicates; rep++) {
          const born = 1_800_000_000_000 + Math.floor(r() * 60) * MIN;
          const minuteAt = (m) => (m < at ? draw() : changed[Math.floor(r() * changed.length)]);
          const fired = live(a, rules, born, at + AFTER, minuteAt).filter(
            (f) =>
              f.minute > at && change.metrics.includes(rules.find((x) => x.id === f.id)?.metric),
          );
          delays.push(fired.length > 0 ? fired[0].minute - at : null);
        }
        out.delays.push({ rate, change: change.key, at, delays });
      }
    }
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)];
};

export function renderColdStart(res, seconds) {
  const lines = [
    "# Cold start: a deployment with no history",
    "",
    "Generated by `npm run bench:detection` (or `node bench/lib/cold-start.mjs`). Each",
    "deployment starts with no history and is evaluated every minute from its first event",
    "with the default window rules (the sequential rules are measured in detection.md)",
    "against the baseline the Worker uses: its own first traffic (from its first event to",
    "the start of the 15-minute window, at most its first hour), then the rolling 7 days.",
    `${res.replicates} deployments per row, each born at a random minute of the hour;`,
    "traffic is the stationary support bot of detection.md, Poisson per minute.",
    "",
    "## False alarms in the first 24 hours (stationary traffic)",
    "",
    "| events/min | incidents per deployment, first 24 h | rules that fired |",
    "| ---: | ---: | --- |",
    ...res.falseAlarms.map(
      (f) =>
        `| ${f.rate} | ${f.perDeployment.toFixed(2)} | ${
          Object.entries(f.byRule)
            .map(([k, v]) => `${k} ×${v}`)
            .join(", ") || "none"
        } |`,
    ),
    "",
    `## Delay of a change at minute 30, 60 and 120 of the deployment's life`,
    "",
    `Minutes from the change to the first incident of a rule on a changed metric (median,`,
    `and the share detected within ${AFTER} minutes).`,
    "",
    "| change | events/min | at minute 30 | at minute 60 | at minute 120 |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const keys = [...new Set(res.delays.map((d) => `${d.change}\u0000${d.rate}`))];
  for (const key of keys) {
    const [change, rate] = key.split("\u0000");
    const cells = CHANGE_AT.map((at) => {
      const row = res.delays.find(
        (d) => d.change === change && String(d.rate) === rate && d.at === at,
      );
      const hit = row.delays.filter((d) => d !== null);
      const m = median(hit);
      return `${m === null ? "–" : `${m} min`} (${Math.round((100 * hit.length) / row.delays.length)} %)`;
    });
    lines.push(`| ${change} | ${rate} | ${cells.join(" | ")} |`);
  }
  lines.push("", `Run time: ${seconds.toFixed(0)} s.`, "");
  return lines.join("\n");
}

/** Runs the table and writes bench/results/cold-start.md. */
export async function writeColdStart(options = {}) {
  const started = performance.now();
  const res = await runColdStart(options);
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(join(HERE, "..", "results", "cold-start.md"), renderColdStart(res, seconds));
  console.log(`wrote bench/results/cold-start.md in ${seconds.toFixed(0)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--replicates");
  await writeColdStart(i > 0 ? { replicates: Number(process.argv[i + 1]) } : {});
}
