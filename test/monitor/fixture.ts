// A fresh deployment's monitor reference for Durable Object tests (unique per call).
import type { ArchivedEvent } from "../../src/archive/layout";
import type { MonitorRef } from "../../src/monitor/ingest-request";
import { uniqueSlug } from "../helpers";

export function testMonitor(projectId: string, synthetic = false): MonitorRef {
  const slug = uniqueSlug("mon");
  return {
    projectId,
    environment: "production",
    slug,
    deploymentId: `${projectId}:production:${slug}`,
    synthetic,
  };
}

/** `n` plain ok events of the monitor's deployment, ids `<tag>-<i>`, each at `ts`. */
export function plainEvents(
  monitor: MonitorRef,
  n: number,
  tag: string,
  ts: number,
): ArchivedEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${tag}-${i}`,
    deployment: monitor.slug,
    environment: monitor.environment,
    ts,
    status: "ok",
    received_at: ts,
  }));
}
