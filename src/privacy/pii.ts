// Detectors for personal data in free text (tag keys and values, ids, labels). Pure: no I/O. Each detector
// looks for the pattern anywhere in the value and, where the format has one, checks
// its checksum (Luhn for cards, mod-97 for IBANs) so that ordinary numbers survive.

export type PiiKind = "email" | "phone" | "card" | "iban" | "ip" | "token";

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// 13 to 19 digits, optionally grouped by single spaces, hyphens or dots. Dotted runs must
// be grouped like a card (3+ groups of 2 to 6 digits: 4111.1111.1111.1111), so
// that version and build numbers are not read as cards.
const CARD = /(?<![\d])\d(?:[ .-]?\d){12,18}(?![\d])/g;
function hasCard(value: string): boolean {
  for (const match of value.matchAll(CARD)) {
    const text = match[0];
    if (text.includes(".") && !/^\d{2,6}(?:\.\d{2,6}){2,}$/.test(text)) continue;
    if (luhnValid(text.replace(/[ .-]/g, ""))) return true;
  }
  return false;
}

/** ISO 13616 check: move the first four characters to the end, letters to 10..35, mod 97 is 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/[ .-]/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  let rest = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const code = ch.charCodeAt(0);
    const part = code >= 65 ? String(code - 55) : ch;
    for (const digit of part) rest = (rest * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

// Grouped by spaces, hyphens or dots (GB82-WEST-1234-5698-7654-32), or not at all.
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ .-]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])/g;
function hasIban(value: string): boolean {
  for (const match of value.matchAll(IBAN)) {
    // The pattern also takes a word that follows after a separator ("… 7654 32 thanks"):
    // try the match without its trailing groups too.
    for (let text = match[0]; text.length >= 15; text = text.replace(/[ .-][A-Za-z0-9]+$/, "")) {
      if (ibanValid(text)) return true;
      if (!/[ .-]/.test(text)) break;
    }
  }
  return false;
}

const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])/g;
function hasIpv4(value: string): boolean {
  for (const m of value.matchAll(IPV4)) {
    if (m.slice(1, 5).every((o) => Number(o) <= 255 && !/^0\d/.test(o))) return true;
  }
  return false;
}

/** A full IPv6 address: 8 groups, or fewer with one `::`, optionally ending in IPv4. */
export function ipv6Valid(candidate: string): boolean {
  let s = candidate;
  let groupsForV4 = 0;
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4?.[1]) {
    if (!hasIpv4(v4[1])) return false;
    s = `${s.slice(0, v4.index)}:0`;
    groupsForV4 = 1; // the IPv4 part takes two groups; ":0" stands for one, count one more
  }
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === "" ? [] : h.split(":")));
  if (!groups.flat().every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = groups.flat().length + groupsForV4;
  return halves.length === 2 ? count <= 7 : count === 8;
}

// Bounded by non-word characters so that `std::vector` is not read as `d::`.
const IPV6_CANDIDATE = /(?<![\w:])[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*(?![\w:])/g;
function hasIpv6(value: string): boolean {
  for (const m of value.matchAll(IPV6_CANDIDATE)) if (ipv6Valid(m[0])) return true;
  return false;
}

// A phone number: a leading + and 8 to 15 digits, or 10 or 11 digits (a national
// number, longer runs are account numbers) written with
// spaces, hyphens or a parenthesised area code. Dots only as 555.123.4567 (1.555.123.4567)
// or after a leading + in groups of 1 to 4 digits (+1.555.123.4567). Bare digit runs (ids,
// epoch times), dates and version numbers are not phone numbers.
const PHONE = /(?<![\w+.])(\+)?[\d(][\d ().-]{6,}\d(?![\w.])/g;
function hasPhone(value: string): boolean {
  for (const m of value.matchAll(PHONE)) {
    const text = m[0];
    if (/\d{4}-\d{2}-\d{2}/.test(text)) continue;
    if (
      text.includes(".") &&
      !/^(?:1\.)?\d{3}\.\d{3}\.\d{4}$/.test(text) &&
      !/^\+\d{1,4}(?:\.\d{1,4})+$/.test(text)
    )
      continue;
    const digits = text.replace(/\D/g, "").length;
    if (m[1]) {
      if (digits >= 8 && digits <= 15) return true;
    } else if (digits >= 10 && digits <= 11 && /[ ().-]/.test(text)) return true;
  }
  return false;
}

// Well-known secret prefixes (OpenAI, Anthropic, Stripe, GitHub, Slack, AWS, Google).
const TOKEN_PREFIX =
  /(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{16,}|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})/;

/** Shannon entropy of the characters of s, in bits per character. */
export function entropyBits(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

// A run of 32+ key-alphabet characters with letters, at least 3 digits, an unbroken
// stretch of 16+ characters and more than 4 bits of entropy per character looks
// random: a secret, not a label. Hex digests (at most 4 bits) and long hyphenated
// labels are kept.
const LONG_RUN = /[A-Za-z0-9_\-+/=]{32,}/g;
function hasRandomToken(value: string): boolean {
  for (const m of value.matchAll(LONG_RUN)) {
    const s = m[0];
    const digits = s.replace(/\D/g, "").length;
    const longest = Math.max(...s.split(/[-_+/=]/).map((part) => part.length));
    if (/[A-Za-z]/.test(s) && digits >= 3 && longest >= 16 && entropyBits(s) > 4) return true;
  }
  return false;
}

/** The kind of personal data found in value, or null when none is. */
export function detectPii(value: string): PiiKind | null {
  if (EMAIL.test(value)) return "email";
  if (TOKEN_PREFIX.test(value) || hasRandomToken(value)) return "token";
  if (hasIban(value)) return "iban";
  if (hasCard(value)) return "card";
  if (hasIpv4(value) || hasIpv6(value)) return "ip";
  if (hasPhone(value)) return "phone";
  return null;
}

/** Tags without those whose key or value looks like personal data, and how many were dropped. */
export function withoutPiiTags(tags: Readonly<Record<string, string>>): {
  tags: Record<string, string>;
  dropped: number;
} {
  const kept: Record<string, string> = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(tags)) {
    if (detectPii(key) === null && detectPii(value) === null) kept[key] = value;
    else dropped++;
  }
  return { tags: kept, dropped };
}
