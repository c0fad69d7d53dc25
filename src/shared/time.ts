// Time units in milliseconds and the bucket starts built on them: the one home for
// MINUTE_MS, HOUR_MS and DAY_MS.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC hour holding `ts`. */
export const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;
/** The start of the minute holding `ts`. */
export const minuteOf = (ts: number) => Math.floor(ts / MINUTE_MS) * MINUTE_MS;
