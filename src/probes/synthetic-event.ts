// A probe run as an event of its deployment (source "synthetic"), so probe latency,
// errors and refusals appear beside real traffic while never being mixed into it.
import type { NormalizedInteraction } from "../ingest/normalized";
import type { ProbeDefinition } from "./probe-schema";
import { findRefusal } from "./refusal";
import type { RunResult } from "./run-probe";

export function syntheticEvent(
  probeId: string,
  def: ProbeDefinition,
  run: RunResult,
): NormalizedInteraction {
  const refused = run.answer !== null && findRefusal(run.answer) !== null;
  const status: NormalizedInteraction["status"] =
    run.outcome === "error"
      ? run.errorType === "timeout"
        ? "timeout"
        : "error"
      : run.httpStatus !== null && (run.httpStatus < 200 || run.httpStatus >= 300)
        ? "error"
        : refused
          ? "refused"
          : "ok";
  const errorType =
    run.errorType !== null
      ? `probe_${run.errorType}`
      : status === "error"
        ? `http_${run.httpStatus}`
        : undefined;
  return {
    type: "interaction",
    id: run.id,
    deployment: def.deployment,
    environment: def.environment,
    ts: run.startedAt,
    status,
    ...(errorType === undefined ? {} : { error_type: errorType }),
    ...(run.latencyMs === null ? {} : { latency_ms: run.latencyMs }),
    ...(run.ttftMs === null ? {} : { ttft_ms: run.ttftMs }),
    ...(run.answer === null ? {} : { output_chars: [...run.answer].length }),
    ...(run.score === null ? {} : { evals: { probe_score: run.score } }),
    tags: { probe: probeId, probe_outcome: run.outcome },
    source: "synthetic",
  };
}
