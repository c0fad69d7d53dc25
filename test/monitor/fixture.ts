// A fresh deployment's monitor reference for Durable Object tests (unique per call).
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
