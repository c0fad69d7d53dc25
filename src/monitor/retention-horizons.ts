// How long the DeploymentMonitor keeps its buckets and applied ingest tokens (units and
// bucket starts: src/shared/time.ts).
import { DAY_MS, HOUR_MS } from "../shared/time";

/** 1-minute buckets cover the last 2 hours. */
export const MINUTE_RETENTION_MS = 2 * HOUR_MS;
/** 1-hour buckets cover 35 days. */
export const HOUR_RETENTION_MS = 35 * DAY_MS;
/** Applied ingest tokens are remembered long past any redelivery of their batch. */
export const TOKEN_RETENTION_MS = DAY_MS;
