// The OTLP routes' error handler: our failures are retryable (503 + Retry-After, which
// OTLP exporters resend) rather than a 500 they drop, and protobuf requests get a
// google.rpc.Status body.
import { fromBinary } from "@bufbuild/protobuf";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { handleOtlpError } from "../../../src/api/otlp/body";
import type { ProjectEnv } from "../../../src/http/app-types";
import { ApiError } from "../../../src/http/errors";
import { OtlpShapeError } from "../../../src/ingest/otlp";
import { StatusSchema } from "../../../src/ingest/otlp-pb/google/rpc/status_pb";

function appThrowing(error: Error) {
  const app = new Hono<ProjectEnv>();
  app.onError(handleOtlpError);
  app.post("/", () => {
    throw error;
  });
  return app;
}

const send = (app: Hono<ProjectEnv>, type: string) =>
  app.request("/", { method: "POST", headers: { "content-type": type }, body: "" });

describe("handleOtlpError", () => {
  it("answers an unexpected failure with a retryable 503 and Retry-After, and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = appThrowing(new Error("D1 is down"));
    const json = await send(app, "application/json");
    expect(json.status).toBe(503);
    expect(json.headers.get("retry-after")).toBe("5");
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    const pb = await send(app, "application/x-protobuf");
    expect(pb.status).toBe(503);
    expect(pb.headers.get("retry-after")).toBe("5");
    expect(pb.headers.get("content-type")).toBe("application/x-protobuf");
    const status = fromBinary(StatusSchema, new Uint8Array(await pb.arrayBuffer()));
    expect(status.code).toBe(14);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("keeps the status and headers of known errors, and makes shape errors a 400", async () => {
    const limited = appThrowing(
      new ApiError("rate_limited", "slow down", undefined, { "Retry-After": "3" }),
    );
    const res = await send(limited, "application/x-protobuf");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(fromBinary(StatusSchema, new Uint8Array(await res.arrayBuffer()))).toMatchObject({
      code: 8,
      message: "slow down",
    });
    const shape = await send(appThrowing(new OtlpShapeError("bad body")), "application/json");
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { error: { message: string } }).error.message).toBe("bad body");
  });
});
