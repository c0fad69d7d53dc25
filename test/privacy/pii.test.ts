import { describe, expect, it } from "vitest";
import {
  detectPii,
  ibanValid,
  luhnValid,
  type PiiKind,
  withoutPiiTags,
} from "../../src/privacy/pii";

const CASES: [string, PiiKind | null][] = [
  // emails
  ["alice@example.com", "email"],
  ["contact: bob.smith+tag@mail.co.uk please", "email"],
  ["@handle", null],
  ["user@localhost", null],
  // phones
  ["+33 6 12 34 56 78", "phone"],
  ["+14155552671", "phone"],
  ["(555) 123-4567", "phone"],
  ["555-123-4567", "phone"],
  ["555.123.4567", "phone"],
  ["+1.555.123.4567", "phone"],
  ["1.555.123.4567", "phone"],
  ["+44.20.7946.0958", "phone"],
  ["1733140800", null], // epoch seconds
  ["2024-01-15 10:30", null],
  ["10.0.19045.2965", null], // a Windows build number
  ["v1.2.3", null],
  ["ticket 12-34", null],
  // cards (Luhn)
  ["4111 1111 1111 1111", "card"],
  ["4111-1111-1111-1111", "card"],
  ["4111.1111.1111.1111", "card"],
  ["3782.822463.10005", "card"],
  ["1.0.4111111111111111.2", null], // dotted, not grouped like a card
  ["5500005555555559", "card"],
  ["4111111111111112", null], // 16 digits failing Luhn
  ["1234567890123456", null],
  // IBANs (mod 97)
  ["GB82 WEST 1234 5698 7654 32", "iban"],
  ["DE89370400440532013000", "iban"],
  ["DE89-3704-0044-0532-0130-00", "iban"],
  ["GB82-WEST-1234-5698-7654-32", "iban"],
  ["GB82 WEST 1234 5698 7654 33", null], // one digit off
  ["FR14XXXXXXXXXXXXXXXXXXXXXXX", null],
  // IP addresses
  ["192.168.1.20", "ip"],
  ["client 8.8.8.8", "ip"],
  ["2001:db8:85a3::8a2e:370:7334", "ip"],
  ["fe80:0:0:0:202:b3ff:fe1e:8329", "ip"],
  ["::ffff:192.0.2.1", "ip"],
  ["256.1.1.1", null],
  ["1.2.3", null],
  ["12:30:45", null],
  ["std::vector", null],
  // API-key-like tokens
  ["sk-proj-abcdefghijklmnop1234", "token"],
  ["sk_live_51HxYzAbCdEfGhIjKlMn", "token"],
  ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token"],
  ["AKIAIOSFODNN7EXAMPLE", "token"],
  ["q8Zr2mX7pLk4Vb9nW3tYc6Hs1Jd5Fg0A", "token"],
  ["d41d8cd98f00b204e9800998ecf8427e", null], // a hex digest: at most 4 bits a character
  ["customer-support-escalation-flow-v2", null],
  ["sk-short", null],
  ["task-1234", null],
  // ordinary labels
  ["billing", null],
  ["en-GB", null],
  ["gpt-4o-mini-2024-07-18", null],
  ["", null],
];

describe("detectPii", () => {
  it.each(CASES)("%s -> %s", (value, kind) => {
    expect(detectPii(value)).toBe(kind);
  });
});

describe("checksums", () => {
  it("Luhn accepts the test card and refuses a changed last digit", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
  });
  it("IBAN mod 97 accepts the ISO example and refuses a changed check digit", () => {
    expect(ibanValid("GB82WEST12345698765432")).toBe(true);
    expect(ibanValid("GB83WEST12345698765432")).toBe(false);
  });
});

describe("withoutPiiTags", () => {
  it("drops only the values that match and counts them", () => {
    const out = withoutPiiTags({ intent: "billing", email: "a@b.io", ip: "10.0.0.1" });
    expect(out).toEqual({ tags: { intent: "billing" }, dropped: 2 });
  });

  it("drops a tag whose key looks like personal data", () => {
    const out = withoutPiiTags({ "alice@example.com": "vip", plan: "pro" });
    expect(out).toEqual({ tags: { plan: "pro" }, dropped: 1 });
  });
});
