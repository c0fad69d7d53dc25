// Property tests: personal data written in any common format is detected, wherever it sits
// in the text, and scrubEvent leaves none of it in an event's free-text fields.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scrubEvent, valuesToReplace } from "../../src/ingest/scrub-event";
import { detectPii } from "../../src/privacy/pii";

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (min: number, max: number) =>
  fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(""));
const separator = fc.constantFrom("", " ", "-", ".");

/** `text` cut into groups of `size` joined by `sep`. */
const grouped = (text: string, size: number, sep: string) =>
  (text.match(new RegExp(`.{1,${size}}`, "g")) ?? []).join(sep);

/** The Luhn check digit that makes `body` + it valid. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const card = fc
  .tuple(fc.constantFrom("4", "51", "37", "6011"), digits(12, 12), separator)
  .map(([prefix, rest, sep]) => {
    const body = (prefix + rest).slice(0, 15);
    return grouped(body + luhnDigit(body), 4, sep);
  });

/** A valid IBAN: check digits computed by ISO 7064 mod 97-10. */
function iban(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`]
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join("");
  let rest = 0;
  for (const d of numeric) rest = (rest * 10 + Number(d)) % 97;
  return `${country}${String(98 - rest).padStart(2, "0")}${bban}`;
}
const ibanText = fc
  .tuple(
    fc.constantFrom("DE", "GB", "FR", "NL", "ES"),
    fc
      .array(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), {
        minLength: 14,
        maxLength: 26,
      })
      .map((c) => c.join("")),
    fc.constantFrom("", " ", "-"),
  )
  .map(([country, bban, sep]) => grouped(iban(country, bban), 4, sep));

const phone = fc
  .tuple(digits(1, 3), digits(3, 3), digits(3, 3), digits(4, 4), fc.constantFrom(" ", "-", "."))
  .filter(([cc]) => !cc.startsWith("0"))
  .map(([cc, a, b, c, sep]) => `+${cc}${sep}${a}${sep}${b}${sep}${c}`);

const email = fc.emailAddress().filter((e) => /\.[A-Za-z]{2,}$/.test(e));

const personal = fc.oneof(card, ibanText, phone, email);
/** Ordinary words around the value, as in a free-text label. */
const inText = fc
  .tuple(fc.constantFrom("", "contact ", "id: "), personal, fc.constantFrom("", " thanks", ";"))
  .map(([before, value, after]) => `${before}${value}${after}`);

/** Fits an id, a tag key or an eval name (64 characters). */
const short = inText.filter((text) => text.length <= 64);

describe("personal data in generated formats", () => {
  it("detects cards grouped by spaces, dashes or dots", () => {
    fc.assert(
      fc.property(card, (text) => {
        expect(detectPii(text)).toBe("card");
      }),
    );
  });

  it("detects IBANs grouped by spaces or dashes", () => {
    fc.assert(
      fc.property(ibanText, (text) => {
        expect(detectPii(text)).toBe("iban");
      }),
    );
  });

  it("detects international phone numbers written with spaces, dashes or dots", () => {
    fc.assert(
      fc.property(phone, (text) => {
        expect(detectPii(text)).not.toBeNull();
      }),
    );
  });

  it("detects any of them inside other text", () => {
    fc.assert(
      fc.property(inText, (text) => {
        expect(detectPii(text)).not.toBeNull();
      }),
    );
  });

  it("leaves none in an event's tag keys and values, id, labels and eval names", () => {
    fc.assert(
      fc.property(short, inText, short, (a, b, c) => {
        const event = {
          id: a,
          deployment: "bot",
          release: b,
          error_type: c,
          prompt_version: "v1",
          tags: { [a]: "x", plan: b, intent: "billing" },
          evals: { [c]: 1, groundedness: 0.9 },
        };
        const replace = new Map(valuesToReplace(event).map((v) => [v, "pii-0"]));
        const { event: out } = scrubEvent(event, replace);
        const texts = JSON.stringify(out);
        for (const value of [a, b, c]) expect(texts).not.toContain(value);
        expect(out).toMatchObject({ prompt_version: "v1", tags: { intent: "billing" } });
      }),
    );
  });
});

describe("scrubEvent", () => {
  it("replaces an interaction's id and its feedback's ref by the same stand-in", () => {
    const replace = new Map([["alice@example.com", "pii-abc"]]);
    const interaction = { id: "alice@example.com", deployment: "bot" };
    const feedback = {
      type: "feedback" as const,
      ref: "alice@example.com",
      deployment: "bot",
      feedback: 1 as const,
    };
    expect(valuesToReplace(feedback)).toEqual(["alice@example.com"]);
    expect(scrubEvent(interaction, replace).event).toMatchObject({ id: "pii-abc" });
    expect(scrubEvent(feedback, replace)).toMatchObject({
      event: { ref: "pii-abc" },
      fieldsRedacted: 1,
    });
  });

  it("replaces a late eval's ref like a feedback's and drops its score names that look personal", () => {
    const replace = new Map([["alice@example.com", "pii-abc"]]);
    const late = {
      type: "eval" as const,
      ref: "alice@example.com",
      deployment: "bot",
      evals: { faithfulness: 0.9, "bob@example.com": 1 },
    };
    expect(valuesToReplace(late)).toEqual(["alice@example.com"]);
    expect(scrubEvent(late, replace)).toEqual({
      event: { ...late, ref: "pii-abc", evals: { faithfulness: 0.9 } },
      tagsDropped: 0,
      fieldsRedacted: 2,
    });
  });

  it("returns an event without personal data as it was", () => {
    const event = { id: "e1", deployment: "bot", release: "v2", tags: { intent: "billing" } };
    const out = scrubEvent(event, new Map());
    expect(out).toEqual({ event, tagsDropped: 0, fieldsRedacted: 0 });
    expect(out.event).toBe(event);
  });
});
