// Judging one probe answer: each assertion gives pass / degraded / fail with the value
// it observed, and the run gets an outcome. A non-2xx answer has no answer text to
// judge: answer assertions are "skipped" and the status check (explicit or the implied
// "status is 2xx") fails the run. Runs that could not be judged at all (timeouts,
// malformed bodies) never get here: the runner records them as errors.
import type { Assertion } from "./assertion-schema";
import { checkLiteSchema } from "./json-schema-lite";
import { compileRegex, regexTest } from "./linear-regex";
import { DEFAULT_REFUSAL_PHRASES, findRefusal } from "./refusal";
import { jaccardSimilarity } from "./similarity";

export const DEFAULT_SIMILARITY_THRESHOLD = 0.5;
export const EXCERPT_CHARS = 200;

export interface Observation {
  status: number;
  latency_ms: number;
  /** Time to the first streamed answer text; null for a non-streaming answer. */
  ttft_ms: number | null;
  /** The extracted answer; null when the status was not 2xx. */
  answer: string | null;
}

export type AssertionOutcome = "pass" | "degraded" | "fail" | "skipped";
export type RunOutcome = "pass" | "degraded" | "fail" | "error";

export interface AssertionResult {
  type: Assertion["type"];
  negate: boolean;
  result: AssertionOutcome;
  /** What was expected, in words ("status 200", "contains \"Paris\""). */
  expected: string;
  /** What was seen: a number (status, ms, length, score) or an answer excerpt. */
  observed: string | number | null;
  weight: number;
}

export interface Judgement {
  outcome: Exclude<RunOutcome, "error">;
  /** Weighted share of assertions that passed (degraded counts as passed), 0..1. */
  score: number;
  results: AssertionResult[];
}

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const q = (s: string) => JSON.stringify(s);

type Verdict = { ok: boolean; expected: string; observed: string | number | null };

function textVerdict(a: Assertion, answer: string): Verdict {
  const seen = excerpt(answer);
  const lower = answer.toLowerCase();
  switch (a.type) {
    case "contains":
      return { ok: answer.includes(a.value), expected: `contains ${q(a.value)}`, observed: seen };
    case "icontains":
      return {
        ok: lower.includes(a.value.toLowerCase()),
        expected: `contains ${q(a.value)} (any case)`,
        observed: seen,
      };
    case "contains-any":
    case "contains-all":
    case "icontains-any":
    case "icontains-all": {
      const fold = a.type.startsWith("i");
      const hay = fold ? lower : answer;
      const hits = a.value.map((v) => hay.includes(fold ? v.toLowerCase() : v));
      const all = a.type.endsWith("all");
      return {
        ok: all ? hits.every(Boolean) : hits.some(Boolean),
        expected: `contains ${all ? "all" : "any"} of ${a.value.map(q).join(", ")}${fold ? " (any case)" : ""}`,
        observed: seen,
      };
    }
    case "regex":
      return {
        ok: regexTest(compileRegex(a.value, a.flags), answer),
        expected: `matches /${a.value}/${a.flags ?? ""}`,
        observed: seen,
      };
    case "is-json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer);
      } catch {
        return { ok: false, expected: "valid JSON", observed: `not JSON: ${seen}` };
      }
      const violation = a.value ? checkLiteSchema(parsed, a.value) : null;
      return {
        ok: violation === null,
        expected: a.value ? "JSON matching the schema" : "valid JSON",
        observed: violation ?? seen,
      };
    }
    case "length": {
      const n = [...answer].length;
      const { min = 0, max = Number.POSITIVE_INFINITY } = a.value;
      return {
        ok: n >= min && n <= max,
        expected: `length in [${min}, ${a.value.max ?? "∞"}]`,
        observed: n,
      };
    }
    case "is-refusal": {
      const found = findRefusal(answer, a.value ?? DEFAULT_REFUSAL_PHRASES);
      return {
        ok: found !== null,
        expected: "a refusal",
        observed: found === null ? seen : `refusal ${q(found)}: ${seen}`,
      };
    }
    case "similar": {
      const threshold = a.threshold ?? DEFAULT_SIMILARITY_THRESHOLD;
      const score = jaccardSimilarity(answer, a.value);
      return {
        ok: score >= threshold,
        expected: `token-set Jaccard similarity ≥ ${threshold} to ${q(excerpt(a.value, 60))}`,
        observed: Math.round(score * 1000) / 1000,
      };
    }
    default:
      throw new Error(`not a text assertion: ${a.type}`);
  }
}

function judgeOne(a: Assertion, obs: Observation): AssertionResult {
  const weight = a.weight ?? 1;
  if (a.type === "latency" || a.type === "ttft") {
    const observed = a.type === "latency" ? obs.latency_ms : obs.ttft_ms;
    const expected = `${a.type} ≤ ${a.value} ms${a.degraded === undefined ? "" : ` (degraded above ${a.degraded} ms)`}`;
    const result: AssertionOutcome =
      observed === null || observed > a.value
        ? "fail"
        : a.degraded !== undefined && observed > a.degraded
          ? "degraded"
          : "pass";
    return { type: a.type, negate: false, result, expected, observed, weight };
  }
  const negate = a.negate ?? false;
  let verdict: Verdict;
  if (a.type === "status") {
    verdict = { ok: obs.status === a.value, expected: `status ${a.value}`, observed: obs.status };
  } else if (obs.answer === null) {
    return { type: a.type, negate, result: "skipped", expected: a.type, observed: null, weight };
  } else verdict = textVerdict(a, obs.answer);
  const ok = negate ? !verdict.ok : verdict.ok;
  const expected = negate ? `not ${verdict.expected}` : verdict.expected;
  return {
    type: a.type,
    negate,
    result: ok ? "pass" : "fail",
    expected,
    observed: verdict.observed,
    weight,
  };
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** Judges an answer against a probe's assertions. */
export function judge(assertions: readonly Assertion[], obs: Observation): Judgement {
  const results = assertions.map((a) => judgeOne(a, obs));
  if (!assertions.some((a) => a.type === "status")) {
    // Every probe checks the status, if only implicitly.
    const ok = isSuccess(obs.status);
    results.unshift({
      type: "status",
      negate: false,
      result: ok ? "pass" : "fail",
      expected: "status 2xx",
      observed: obs.status,
      weight: 1,
    });
  }
  const weighted = results.filter((r) => r.weight > 0);
  const total = weighted.reduce((s, r) => s + r.weight, 0);
  const passed = weighted
    .filter((r) => r.result === "pass" || r.result === "degraded")
    .reduce((s, r) => s + r.weight, 0);
  const outcome = weighted.some((r) => r.result === "fail")
    ? "fail"
    : weighted.some((r) => r.result === "degraded")
      ? "degraded"
      : "pass";
  return { outcome, score: total === 0 ? 1 : passed / total, results };
}
