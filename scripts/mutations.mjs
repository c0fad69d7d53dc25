// The one-line bugs scripts/mutate.mjs plants, one at a time: realistic slips (a unit, a
// comparison, an index, a sign, a dropped check), each with the test files that should
// catch it. `find` must occur exactly once in `file`. `why` explains an accepted survivor.
const DO = ["test/monitor-expiry.test.ts", "test/rollups.test.ts", "test/window.test.ts"];

export const MUTATIONS = [
  // DO expiry
  {
    id: "token-retention-seconds",
    module: "DO expiry",
    file: "src/monitor/time.ts",
    find: "export const TOKEN_RETENTION_MS = DAY_MS;",
    replace: "export const TOKEN_RETENTION_MS = 24 * 60 * 60;",
    tests: DO,
  },
  {
    id: "token-sweep-inclusive",
    module: "DO expiry",
    file: "src/monitor/deployment-monitor.ts",
    find: `"DELETE FROM applied_tokens WHERE at < ?"`,
    replace: `"DELETE FROM applied_tokens WHERE at <= ?"`,
    tests: DO,
  },
  {
    id: "minute-sweep-no-grace",
    module: "DO expiry",
    file: "src/monitor/deployment-monitor.ts",
    find: "now - MINUTE_RETENTION_MS - HOUR_MS,",
    replace: "now - MINUTE_RETENTION_MS,",
    tests: DO,
  },
  {
    id: "hour-sweep-inclusive",
    module: "DO expiry",
    file: "src/monitor/deployment-monitor.ts",
    find: `"DELETE FROM buckets WHERE resolution = '1h' AND start < ?"`,
    replace: `"DELETE FROM buckets WHERE resolution = '1h' AND start <= ?"`,
    tests: DO,
  },
  {
    id: "minute-intake-strict",
    module: "DO expiry",
    file: "src/monitor/deployment-monitor.ts",
    find: `if (start >= now - MINUTE_RETENTION_MS) this.mergeInto("1m", start, bucket);`,
    replace: `if (start > now - MINUTE_RETENTION_MS) this.mergeInto("1m", start, bucket);`,
    tests: DO,
  },
  {
    id: "hour-intake-strict",
    module: "DO expiry",
    file: "src/monitor/deployment-monitor.ts",
    find: `if (hour >= now - HOUR_RETENTION_MS) this.mergeInto("1h", hour, bucket);`,
    replace: `if (hour > now - HOUR_RETENTION_MS) this.mergeInto("1h", hour, bucket);`,
    tests: DO,
  },
];
