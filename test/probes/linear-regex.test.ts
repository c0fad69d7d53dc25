import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRegex, RegexSyntaxError, regexTest } from "../../src/probes/linear-regex";

const test = (pattern: string, input: string, flags = "") =>
  regexTest(compileRegex(pattern, flags), input);

describe("linear-time regex", () => {
  const cases: [string, string, string][] = [
    ["paris", "The capital is Paris.", ""],
    ["paris", "The capital is Paris.", "i"],
    ["^The", "The capital", ""],
    ["^capital", "The capital", ""],
    ["Paris\\.$", "It is Paris.", ""],
    ["\\bcat\\b", "a cat sat", ""],
    ["\\bcat\\b", "concatenate", ""],
    ["\\Bcat\\B", "concatenate", ""],
    ["colou?r", "color", ""],
    ["colou?r", "colouur", ""],
    ["a{2,3}b", "aab", ""],
    ["a{2,3}b", "ab", ""],
    ["^a{2,3}$", "aaaa", ""],
    ["^a{2,}$", "aaaaa", ""],
    ["^a{3}$", "aaa", ""],
    ["(cat|dog)s?", "hotdogs", ""],
    ["(?:ab)+c", "ababc", ""],
    ["(?<word>\\w+)@", "me@x", ""],
    ["[0-9]{4}-[0-9]{2}", "on 2024-05-01", ""],
    ["[^a-z]", "abc", ""],
    ["[^a-z]", "abC", ""],
    ["[a\\-z]", "-", ""],
    ["[\\d.]+%", "rate 12.5%", ""],
    ["a.c", "a\nc", ""],
    ["a.c", "a\nc", "s"],
    ["\\d+\\s*ms", "took 120 ms", ""],
    ["x*", "", ""],
    ["\\$\\d", "costs $5", ""],
    ["\\u00e9t\\x65", "été", ""],
    ["a|", "zzz", ""],
    ["[]", "abc", ""],
    ["{", "a{b", ""],
    ["a{,2}", "a{,2}", ""],
    ["I'M", "i'm sure", "i"],
    ["[A-Z]+", "abc", "i"],
  ];
  it.each(cases)("/%s/%s agrees with RegExp on %j", (pattern, input, flags) => {
    expect(test(pattern, input, flags)).toBe(new RegExp(pattern, flags).test(input));
  });

  it("agrees with RegExp on generated patterns and inputs", () => {
    const atom = fc.constantFrom(
      "a",
      "b",
      ".",
      "[ab]",
      "[^a]",
      "\\d",
      "\\w",
      "(a|b)",
      "(?:ab)",
      "1",
    );
    const quant = fc.constantFrom("", "*", "+", "?", "{1,2}", "{2}");
    const pattern = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 5 })
      .chain((parts) =>
        fc.tuple(fc.constant(parts.map(([a, q]) => a + q).join("")), fc.constantFrom("", "^", "$")),
      )
      .map(([p, anchor]) => (anchor === "^" ? `^${p}` : anchor === "$" ? `${p}$` : p));
    const input = fc.stringMatching(/^[ab1 ]{0,12}$/);
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        expect(test(p, s)).toBe(new RegExp(p).test(s));
      }),
      { numRuns: 500 },
    );
  });

  it("matches catastrophic-backtracking patterns in linear time", () => {
    const input = `${"a".repeat(30_000)}!`;
    const started = performance.now();
    expect(test("(a+)+$", input)).toBe(false);
    expect(test("(a|a)*b", input)).toBe(false);
    expect(test("(a|aa)+$", input)).toBe(false);
    expect(test("(a*)*b", input)).toBe(false);
    expect(test("(a*)*!", input)).toBe(true);
    // Backtracking RegExp needs ~2^30 steps for these; the NFA a few states per character.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ["(a)\\1", "backreferences are not supported"],
    ["(?=a)", "lookaround is not supported"],
    ["(?<!a)b", "lookaround is not supported"],
    ["a{1000}", "repetition above {100}"],
    ["(a", 'missing ")"'],
    ["a)", 'unmatched ")"'],
    ["*a", "nothing to repeat"],
    ["[z-a]", "range out of order"],
    ["\\q", "unknown escape"],
    ["[abc", "unterminated character class"],
    ["(?:(?:a{100}){100})", "pattern too large"],
  ])("rejects /%s/ with %j", (pattern, message) => {
    expect(() => compileRegex(pattern)).toThrow(RegexSyntaxError);
    expect(() => compileRegex(pattern)).toThrow(message);
  });

  it("rejects patterns over 500 characters and unknown flags", () => {
    expect(() => compileRegex("a".repeat(501))).toThrow("longer than 500");
    expect(() => compileRegex("a", "g")).toThrow('flags may only be "i" and "s"');
  });
});
