// The audit listing's pure parts: secret masking and the opaque cursor.
import { describe, expect, it } from "vitest";
import { decodeAuditCursor, encodeAuditCursor } from "../../../src/api/audit/cursor";
import { maskAuditValue } from "../../../src/api/audit/mask";

describe("maskAuditValue", () => {
  it("masks secrets by field name and by shape, leaving the rest", () => {
    expect(
      maskAuditValue({
        name: "ops",
        enabled: true,
        threshold: 3,
        secret: "whsec_abcdefghijklmnop",
        secret_headers: { "x-api-key": "sk-live-1234567890abcd" },
        nested: [{ note: "dw_admin_abcdefghijklmnopqrstuvwxyz" }],
        url: "https://example.com/chat",
      }),
    ).toEqual({
      name: "ops",
      enabled: true,
      threshold: 3,
      secret: "whsec_****mnop",
      secret_headers: { "x-api-key": "****abcd" },
      nested: [{ note: "****wxyz" }],
      url: "https://example.com/chat",
    });
  });

  it("keeps what its writer already masked, and null", () => {
    expect(maskAuditValue({ secret: "whsec_****mnop" })).toEqual({ secret: "whsec_****mnop" });
    expect(maskAuditValue(null)).toBeNull();
  });
});

describe("audit cursor", () => {
  it("round-trips an id and refuses anything else", () => {
    expect(decodeAuditCursor(encodeAuditCursor(42))).toBe(42);
    expect(encodeAuditCursor(42)).not.toContain("42");
    for (const bad of ["42", "a1.", "a1.!!", `a1.${btoa("-1")}`, `a1.${btoa("1e3")}`]) {
      expect(decodeAuditCursor(bad)).toBeNull();
    }
  });
});
