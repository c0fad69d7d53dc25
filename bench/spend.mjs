// bench/spend: heavy-hitter accuracy of the top-k sketch against exact counts on Zipf user
// streams, its memory per deployment-hour, the budget forecast's month-end error beside a
// straight line on simulated traffic with a daily and weekly rhythm, and the time from a
// runaway loop starting to the burn-rate alert and to the user-share rule. Runs the TypeScript the Worker runs
// (bundled with esbuild). Writes bench/results/spend.md.
// Usage: node bench/spend.mjs [--events 1000000 --seed 7]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg("events", 1_000_000);
let seed = arg("seed", 7);
const random = () => {
  // mulberry32: reproducible runs.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const dir = mkdtempSync(join(tmpdir(), "driftwatch-spend-"));
const outfile = join(dir, "spend.mjs");
await build({
  stdin: {
    contents: `export * from "./src/spend/top-k"; export * from "./src/spend/forecast";
      export * from "./src/spend/burn-rate"; export * from "./src/spend/user-share"; export { TOP_K, MAX_TAG_DIMENSIONS } from "./src/monitor/spend-store";`,
    resolveDir: ROOT,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outfile,
  logLevel: "warning",
});
const s = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
const lines = [];
const out = (line = "") => lines.push(line);

// 1. Heavy hitters on Zipf streams: 24 hourly sketches merged, as a 24 h read does.
out("## Heavy hitters (top-k sketch, k = " + s.TOP_K + ")");
out();
out(
  `${EVENTS.toLocaleString("en-US")} requests per stream over 24 hourly sketches, merged; cost per request uniform in [$0.001, $0.011].`,
);
out();
out("| Zipf s | users | recall of the true top 10 | worst error / bound | bound / total |");
out("| --- | --- | --- | --- | --- |");
for (const z of [0.8, 1.1, 1.5]) {
  for (const users of [10_000, 100_000, 1_000_000]) {
    const cdf = new Float64Array(users);
    let acc = 0;
    for (let i = 0; i < users; i++) acc += 1 / (i + 1) ** z;
    let run = 0;
    for (let i = 0; i < users; i++) {
      run += 1 / (i + 1) ** z / acc;
      cdf[i] = run;
    }
    const exact = new Map();
    const hours = Array.from({ length: 24 }, () => s.createTopK(s.TOP_K));
    for (let n = 0; n < EVENTS; n++) {
      const r = random();
      let lo = 0;
      let hi = users - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < r) lo = mid + 1;
        else hi = mid;
      }
      const key = `u${lo}`;
      const cost = 0.001 + random() * 0.01;
      s.topKAdd(hours[Math.floor((n * 24) / EVENTS)], key, cost);
      exact.set(key, (exact.get(key) ?? 0) + cost);
    }
    const merged = s.createTopK(s.TOP_K);
    for (const h of hours) s.topKMerge(merged, h);
    const trueTop = [...exact]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k]) => k);
    const found = new Set(s.topKTop(merged, 10).map((e) => e.key));
    const recall = trueTop.filter((k) => found.has(k)).length / 10;
    let worst = 0;
    for (const [key, truth] of exact)
      worst = Math.max(worst, truth - (merged.entries[key]?.weight ?? 0));
    const ratio = merged.decrement > 0 ? worst / merged.decrement : 0;
    out(
      `| ${z} | ${users.toLocaleString("en-US")} | ${(recall * 100).toFixed(0)} % | ${ratio.toFixed(3)} | ${((merged.decrement / merged.total) * 100).toFixed(2)} % |`,
    );
  }
}
out();
out(
  "Worst error / bound ≤ 1 is the guarantee (true − bound ≤ estimate ≤ true for every user); the bound is at most total / (k + 1) = 3.0 % of the total.",
);
out();

// 2. Memory per deployment-hour: a full sketch per dimension, keys as long as a hashed id.
out("## Memory per deployment-hour");
out();
const full = s.createTopK(s.TOP_K);
for (let i = 0; i < 1000; i++) s.topKAdd(full, `${"h".repeat(22)}${i}`.slice(-22), 1 + random());
const perSketch = s.encodeTopK(full).length + 16;
const dims = 2 + s.MAX_TAG_DIMENSIONS;
out(
  `One full sketch (32 counters, 22-character hashed keys): ${perSketch.toLocaleString("en-US")} bytes stored. A deployment-hour holds at most ${dims} (user, session, ${s.MAX_TAG_DIMENSIONS} tag keys): ≤ ${((perSketch * dims) / 1024).toFixed(1)} KiB, ≤ ${((perSketch * dims * 169) / 1024 / 1024).toFixed(2)} MiB for the 7 days + 1 hour kept. Typical (user, session and 2 tags): ${((perSketch * 4) / 1024).toFixed(1)} KiB an hour.`,
);
out();

// 3. Forecast error at days 3, 10 and 20 of a 30-day month.
out("## Month-end forecast error");
out();
out(
  "Simulated hourly spend: a daily rhythm (busy 08–20 UTC, 4× the night), weekends at 40 %, ±30 % hourly noise, 28 days of history before the month; 200 months per row. Error = |forecast − actual month total| / actual.",
);
out();
out(
  "| day of month | rhythm forecast: mean error | straight line: mean error | actual inside the 80 % interval |",
);
out("| --- | --- | --- | --- |");
const monthStart = Date.UTC(2026, 5, 1);
const monthEnd = Date.UTC(2026, 6, 1);
const hourly = (t) => {
  const h = new Date(t).getUTCHours();
  const dow = new Date(t).getUTCDay();
  const base = h >= 8 && h < 20 ? 4 : 1;
  return base * (dow === 0 || dow === 6 ? 0.4 : 1) * (0.7 + 0.6 * random());
};
for (const day of [3, 10, 20]) {
  let errRhythm = 0;
  let errLine = 0;
  let inside = 0;
  const runs = 200;
  for (let r = 0; r < runs; r++) {
    const hours = [];
    for (let t = monthStart - 28 * DAY; t < monthEnd; t += HOUR)
      hours.push({ start: t, usd: hourly(t) });
    const actual = hours.filter((h) => h.start >= monthStart).reduce((a, h) => a + h.usd, 0);
    // Read at a random hour of the day.
    const now = monthStart + (day - 1) * DAY + Math.floor(random() * 24) * HOUR + 30 * MINUTE;
    const seen = hours
      .filter((h) => h.start < now)
      .map((h) => (h.start + HOUR > now ? { ...h, usd: h.usd / 2 } : h));
    const input = {
      hours: seen,
      now,
      periodStart: monthStart,
      periodEnd: monthEnd,
      amountUsd: 1e9,
    };
    const f = s.forecastPeriod(input);
    errRhythm += Math.abs(f.expectedUsd - actual) / actual;
    errLine += Math.abs(s.straightLineForecast(f.spentUsd, input) - actual) / actual;
    if (actual >= f.lowUsd && actual <= f.highUsd) inside++;
  }
  out(
    `| ${day} | ${((errRhythm / runs) * 100).toFixed(1)} % | ${((errLine / runs) * 100).toFixed(1)} % | ${((inside / runs) * 100).toFixed(0)} % |`,
  );
}
out();

// 4. Runaway loop: one user's spend ×50 from t0, against a budget matching the normal pace.
out("## Runaway loop: time to the burn-rate alert");
out();
out(
  "Spend runs at exactly the budget's even pace; at t0 one user, with the given share of normal spend, starts spending 50× as much. Minutes until the pair fires (evaluated every minute on 1-minute spend; the 1-minute rollup reaches D1 within about 30 s and the cron runs each minute, so add up to 2 minutes in production).",
);
out();
out(
  "| user's normal share | burn after t0 | fast pair (14×, critical) | slow pair (6×, warning) | user-share rule (50 %, ≥ $1) |",
);
out("| --- | --- | --- | --- | --- |");
/**
 * Minutes from t0 to the user-share rule firing: 100 users share $1/h (the runaway one
 * `share` of it), hourly top-k sketches as the Durable Object keeps them, read each minute
 * over the previous hour and the current one, decided on the lower bound.
 */
function userShareMinutes(share, t0) {
  const rule = { percent: 50, minUsd: 1 };
  const others = 99;
  const hours = new Map();
  const sketch = (t) => {
    const h = Math.floor(t / HOUR) * HOUR;
    if (!hours.has(h)) hours.set(h, s.createTopK(s.TOP_K));
    return hours.get(h);
  };
  for (let t = t0 - 2 * HOUR; t < t0 + 24 * HOUR; t += MINUTE) {
    const k = sketch(t);
    const loop = t >= t0 ? share * 50 : share;
    s.topKAdd(k, "runaway", loop / 60);
    for (let u = 0; u < others; u++) s.topKAdd(k, `u${u}`, (1 - share) / others / 60);
    if (t < t0) continue;
    const h = Math.floor(t / HOUR) * HOUR;
    const merged = s.createTopK(s.TOP_K);
    for (const from of [h - HOUR, h]) if (hours.has(from)) s.topKMerge(merged, hours.get(from));
    const v = s.userShareVerdict(
      {
        total: merged.total,
        decrement: merged.decrement,
        entries: s.topKTop(merged, 1),
      },
      rule,
    );
    if (v.breach) return (t + MINUTE - t0) / MINUTE;
  }
  return null;
}
for (const share of [0.05, 0.1, 0.2, 0.3, 0.5]) {
  const even = 1; // USD per hour
  const burn = 1 - share + share * 50;
  const minutes = [];
  // Mid-hour: the user-share rule reads whole-hour sketches, so the start within the hour matters.
  const t0 = 12 * HOUR + 30 * MINUTE;
  for (let t = 0; t < t0; t += MINUTE) minutes.push({ start: t, usd: even / 60 });
  const fired = { fast: null, slow: null };
  for (let t = t0; t < t0 + 24 * HOUR; t += MINUTE) {
    minutes.push({ start: t, usd: (even * burn) / 60 });
    for (const r of s.readPairs(minutes, t + MINUTE, even)) {
      if (r.breach && fired[r.pair.id] === null) fired[r.pair.id] = (t + MINUTE - t0) / MINUTE;
    }
    if (fired.fast !== null && fired.slow !== null) break;
  }
  const show = (m) => (m === null ? "never (burn below the factor)" : `${m} min`);
  const user = userShareMinutes(share, t0);
  out(
    `| ${share * 100} % | ${burn.toFixed(2)}× | ${show(fired.fast)} | ${show(fired.slow)} | ${user === null ? "never" : `${user} min`} |`,
  );
}
out();
out(
  "Below 26.5 % of normal spend a ×50 user does not lift the whole budget to 14×; the opt-in user-share rule (here: one user above 50 % of the deployment's spend since the start of the previous UTC hour, with at least $1; 99 other users share the rest) catches those. It decides on the sketch's lower bound, so the figure includes the sketch's error; t0 is mid-hour.",
);

const report = `# bench/spend\n\n\`npm run bench:spend\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}).\n\n${lines.join("\n")}\n`;
writeFileSync(join(ROOT, "bench", "results", "spend.md"), report);
console.log(report);
