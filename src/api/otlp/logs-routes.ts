// POST /v1/logs: OTLP/HTTP log exports, JSON or binary protobuf, as /v1/traces takes them
// (same body handling, limits, answers and errors). Evaluation results and user feedback
// events become late eval and feedback events; other log records are ignored and counted.

import { ApiError } from "../../http/errors";
import { mapOtlpLogs } from "../../ingest/otlp-logs";
import { MAX_EVENTS_PER_REQUEST } from "../../ingest/parse-batch";
import { sendLogs } from "../events/ingest-contract";
import { ingestRouter } from "../events/routes";
import { handleOtlpError, otlpAnswer, otlpEncodingOf, readOtlpBody } from "./body";
import { partialSuccess, queueOtlpEvents } from "./routes";

export const otlpLogs = ingestRouter(sendLogs);
otlpLogs.onError(handleOtlpError);
otlpLogs.post("/", async (c) => {
  const encoding = otlpEncodingOf(c.req.header("content-type"));
  const receivedAt = Date.now();
  const { body, source } = await readOtlpBody(c.req.raw, encoding, "logs");
  const mapped = mapOtlpLogs(body, source);
  const genAiRecords = mapped.events.length + mapped.rejected.length;
  if (genAiRecords > MAX_EVENTS_PER_REQUEST) {
    throw new ApiError(
      "payload_too_large",
      `${genAiRecords} GenAI log records in one request; the limit is ${MAX_EVENTS_PER_REQUEST} ` +
        "(lower the exporter's batch size, e.g. maxExportBatchSize)",
    );
  }
  const { rejected, piiAnswer } = await queueOtlpEvents(c, mapped.events, receivedAt, "log record");
  const problems = [
    ...mapped.rejected.map((r) => ({ span: `#${r.recordIndex}`, reason: r.message })),
    ...rejected.map((r) => ({
      span: `#${mapped.recordIndex[r.index] ?? r.index}`,
      reason: (r.issues ?? [{ path: r.path, message: r.message }])
        .map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`))
        .join("; "),
    })),
  ];
  return otlpAnswer(c, encoding, "logs", partialSuccess(problems, "log record"), piiAnswer);
});
