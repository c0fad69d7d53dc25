// Standard Webhooks signing and verification, and the signed driftwatch.alert.v1 body.
import { describe, expect, it } from "vitest";
import {
  buildWebhookPayload,
  webhookMessageId,
} from "../../../src/alerts/delivery/webhook-payload";
import {
  decodeSecret,
  generateSecret,
  signWebhook,
  verifyWebhook,
} from "../../../src/alerts/delivery/webhook-sign";
import { groupNotifications } from "../../../src/alerts/incidents/incident-machine";

// The reference vector from standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts ("sign function works").
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

describe("Standard Webhooks signing", () => {
  it("reproduces the specification's test vector exactly", async () => {
    const headers = await signWebhook(SECRET, MSG_ID, TIMESTAMP, BODY);
    expect(headers).toEqual({
      "webhook-id": MSG_ID,
      "webhook-timestamp": "1614265330",
      "webhook-signature": EXPECTED,
    });
  });

  it("accepts a secret with or without the whsec_ prefix, as the reference library does", async () => {
    const bare = await signWebhook(SECRET.slice("whsec_".length), MSG_ID, TIMESTAMP, BODY);
    expect(bare["webhook-signature"]).toBe(EXPECTED);
  });

  it("rejects an empty or non-base64 secret and a non-integer timestamp", async () => {
    expect(() => decodeSecret("whsec_")).toThrow(RangeError);
    expect(() => decodeSecret("whsec_***")).toThrow(RangeError);
    await expect(signWebhook(SECRET, MSG_ID, 1.5, BODY)).rejects.toThrow(RangeError);
  });

  it("generates whsec_ secrets of 24 random bytes that sign and verify", async () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(decodeSecret(secret)).toHaveLength(24);
    expect(generateSecret()).not.toBe(secret);
    const headers = await signWebhook(secret, "msg_1", 1_700_000_000, "{}");
    expect(await verifyWebhook(secret, headers, "{}", { now_seconds: 1_700_000_000 })).toEqual({
      ok: true,
    });
  });
});

describe("Standard Webhooks verification", () => {
  const headers = {
    "webhook-id": MSG_ID,
    "webhook-timestamp": String(TIMESTAMP),
    "webhook-signature": EXPECTED,
  };
  const at = { now_seconds: TIMESTAMP };

  it("verifies the specification's vector, with headers in any case or as a Headers object", async () => {
    expect(await verifyWebhook(SECRET, headers, BODY, at)).toEqual({ ok: true });
    const upper = {
      "Webhook-Id": MSG_ID,
      "Webhook-Timestamp": "1614265330",
      "Webhook-Signature": EXPECTED,
    };
    expect(await verifyWebhook(SECRET, upper, BODY, at)).toEqual({ ok: true });
    expect(await verifyWebhook(SECRET, new Headers(headers), BODY, at)).toEqual({ ok: true });
  });

  it("finds the valid signature among several space-separated ones", async () => {
    const many = { ...headers, "webhook-signature": `v2,abc v1,bm9wZQ== ${EXPECTED}` };
    expect(await verifyWebhook(SECRET, many, BODY, at)).toEqual({ ok: true });
  });

  it("accepts only the v1 scheme: the right HMAC labelled with another version fails", async () => {
    const signature = EXPECTED.slice(EXPECTED.indexOf(",") + 1);
    for (const label of ["v2", "v1a", "V1", ""]) {
      const relabelled = { ...headers, "webhook-signature": `${label},${signature}` };
      expect(await verifyWebhook(SECRET, relabelled, BODY, at)).toEqual({
        ok: false,
        reason: "no_matching_signature",
      });
    }
  });

  it("rejects a tampered body, a wrong secret and a truncated signature", async () => {
    const fail = { ok: false, reason: "no_matching_signature" };
    expect(await verifyWebhook(SECRET, headers, '{"test": 2432232315}', at)).toEqual(fail);
    expect(await verifyWebhook(generateSecret(), headers, BODY, at)).toEqual(fail);
    const cut = { ...headers, "webhook-signature": EXPECTED.slice(0, 8) };
    expect(await verifyWebhook(SECRET, cut, BODY, at)).toEqual(fail);
    expect(
      await verifyWebhook(SECRET, { ...headers, "webhook-signature": "v1," }, BODY, at),
    ).toEqual(fail);
  });

  it("rejects missing headers and a malformed timestamp", async () => {
    const { "webhook-id": _, ...noId } = headers;
    expect(await verifyWebhook(SECRET, noId, BODY, at)).toEqual({
      ok: false,
      reason: "missing_headers",
    });
    const bad = { ...headers, "webhook-timestamp": "hello" };
    expect(await verifyWebhook(SECRET, bad, BODY, at)).toEqual({
      ok: false,
      reason: "invalid_timestamp",
    });
  });

  it("rejects timestamps outside the tolerance in either direction, inclusive at the edge", async () => {
    const old = { now_seconds: TIMESTAMP + 301 };
    expect(await verifyWebhook(SECRET, headers, BODY, old)).toEqual({
      ok: false,
      reason: "timestamp_too_old",
    });
    const early = { now_seconds: TIMESTAMP - 301 };
    expect(await verifyWebhook(SECRET, headers, BODY, early)).toEqual({
      ok: false,
      reason: "timestamp_too_new",
    });
    expect(await verifyWebhook(SECRET, headers, BODY, { now_seconds: TIMESTAMP + 300 })).toEqual({
      ok: true,
    });
    const loose = { now_seconds: TIMESTAMP + 3600, tolerance_seconds: 3600 };
    expect(await verifyWebhook(SECRET, headers, BODY, loose)).toEqual({ ok: true });
  });
});

describe("webhook payload", () => {
  const [group] = groupNotifications([
    {
      deployment_id: "dep_1",
      environment: "production",
      slug: "support-bot",
      rule_id: "rule_1",
      rule_name: "Error rate",
      severity: "critical",
      metric: "error_rate",
      status: "firing",
      repeat: false,
      value: 0.06,
      baseline_value: 0.01,
      test: "two_proportion_z",
      statistic: 7.1,
      threshold: 3.29,
      message: "Error rate rose from 1 % to 6 %",
      reason: "fired because z = 7.1 ≥ 3.29",
      conditions: [{ name: "z", value: "7.1", fires: "≥ 3.29", holds: true }],
      release: { version: "v42", first_seen_at: Date.UTC(2026, 0, 5, 8, 50) },
      dashboard_url: "https://driftwatch.example/d/support-bot",
      incident_id: "inc_1",
      started_at: Date.UTC(2026, 0, 5, 8, 55),
      evaluated_at: Date.UTC(2026, 0, 5, 9, 0),
    },
  ]);
  if (!group) throw new Error("no group");

  it("describes the group as driftwatch.alert.v1 with ISO times and the release", () => {
    const payload = buildWebhookPayload(group, Date.UTC(2026, 0, 5, 9, 0, 3));
    expect(payload).toMatchObject({
      type: "driftwatch.alert.v1",
      id: webhookMessageId(group),
      status: "firing",
      severity: "critical",
      deployment: { id: "dep_1", slug: "support-bot" },
      environment: "production",
      evaluated_at: "2026-01-05T09:00:00.000Z",
      sent_at: "2026-01-05T09:00:03.000Z",
    });
    expect(payload.notifications[0]).toMatchObject({
      status: "firing",
      metric: "error_rate",
      value: 0.06,
      baseline_value: 0.01,
      statistic: 7.1,
      threshold: 3.29,
      unit: null,
      reason: "fired because z = 7.1 ≥ 3.29",
      conditions: [{ name: "z", value: "7.1", fires: "≥ 3.29", holds: true }],
      release: {
        version: "v42",
        previous_version: null,
        first_seen_at: "2026-01-05T08:50:00.000Z",
        live: null,
        at_open: null,
      },
      started_at: "2026-01-05T08:55:00.000Z",
    });
  });

  it("is signed so that a Standard Webhooks receiver verifies the exact body", async () => {
    const body = JSON.stringify(buildWebhookPayload(group, Date.UTC(2026, 0, 5, 9, 0, 3)));
    const secret = generateSecret();
    const headers = await signWebhook(secret, webhookMessageId(group), 1_767_603_603, body);
    expect(headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{16}$/);
    expect(await verifyWebhook(secret, headers, body, { now_seconds: 1_767_603_603 })).toEqual({
      ok: true,
    });
  });
});
