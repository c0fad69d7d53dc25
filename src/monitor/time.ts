// Bucket sizes and retention of the DeploymentMonitor.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** 1-minute buckets cover the last 2 hours. */
export const MINUTE_RETENTION_MS = 2 * HOUR_MS;
/** 1-hour buckets cover 35 days. */
export const HOUR_RETENTION_MS = 35 * DAY_MS;
/** Claim tokens are remembered long past any redelivery or sweeper pass. */
export const TOKEN_RETENTION_MS = DAY_MS;

export const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;
export const minuteOf = (ts: number) => Math.floor(ts / MINUTE_MS) * MINUTE_MS;
