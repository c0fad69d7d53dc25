// Example events per outcome: a bottom-k sample by hashed event id, non-text fields only,
// exactly mergeable and free of duplicates.
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import {
  addExampleEvent,
  EXAMPLES_PER_OUTCOME,
  EXAMPLES_PER_SEGMENT,
  type ExampleSample,
  examplesIn,
  MAX_EXAMPLES_KEPT,
  mergeExamples,
} from "../../src/window/example-sample";

function down(i: number, locale: string): NormalizedEvent {
  return {
    type: "interaction",
    id: `ev-${i}`,
    deployment: "d",
    environment: "production",
    ts: 1_000 + i,
    status: "ok",
    model: "gpt-4o",
    feedback: -1,
    tags: { locale },
    user_hash: "secret-user",
    // Text a project might send: must never be copied into a sample.
    ...({ input: "the prompt", output: "the answer" } as object),
  } as NormalizedEvent;
}

describe("example events per outcome", () => {
  it("keeps at most 10 examples of an outcome, and none of an outcome that did not happen", () => {
    const s: ExampleSample = {};
    for (let i = 0; i < 500; i++) addExampleEvent(s, down(i, "en"));
    expect(s.feedback_down).toHaveLength(EXAMPLES_PER_OUTCOME);
    expect(s.error).toBeUndefined();
  });

  it("stores only ids, time, status, segment fields and tags: no text and no user", () => {
    const s = addExampleEvent({}, down(1, "ja"));
    expect(s.feedback_down?.[0]).toEqual({
      id: "ev-1",
      ts: 1_001,
      status: "ok",
      model: "gpt-4o",
      tags: { locale: "ja" },
    });
  });

  it("merges two halves into exactly the sample of the whole, and a copy counts once", () => {
    const whole: ExampleSample = {};
    const a: ExampleSample = {};
    const b: ExampleSample = {};
    for (let i = 0; i < 300; i++) {
      addExampleEvent(whole, down(i, "en"));
      addExampleEvent(i % 2 ? a : b, down(i, "en"));
    }
    addExampleEvent(b, down(1, "en")); // a redelivered copy of one of a's
    expect(mergeExamples(a, b)).toEqual(whole);
  });

  it("samples every event alike: each of 40 ids is kept about a quarter of the time", () => {
    const kept = new Map<number, number>();
    for (let run = 0; run < 400; run++) {
      const s: ExampleSample = {};
      for (let i = 0; i < 40; i++) addExampleEvent(s, { ...down(i, "en"), id: `r${run}-${i}` });
      for (const e of s.feedback_down ?? []) {
        const i = Number(e.id.split("-")[1]);
        kept.set(i, (kept.get(i) ?? 0) + 1);
      }
    }
    // 10 of 40 kept: p = 0.25, 400 runs, mean 100, sd ~8.7.
    for (let i = 0; i < 40; i++) expect(Math.abs((kept.get(i) ?? 0) - 100)).toBeLessThan(40);
  });

  it("lists the examples of one segment, or of all", () => {
    const s: ExampleSample = {};
    for (let i = 0; i < 6; i++) addExampleEvent(s, down(i, i < 2 ? "ja" : "en"));
    expect(
      examplesIn(s, "feedback_down", "tags.locale", "ja")
        .map((e) => e.id)
        .sort(),
    ).toEqual(["ev-0", "ev-1"]);
    expect(examplesIn(s, "feedback_down", "model", "gpt-4o")).toHaveLength(6);
    expect(examplesIn(s, "feedback_down", "", "")).toHaveLength(6);
    expect(examplesIn(s, "error", "", "")).toEqual([]);
  });
});

describe("examples per segment", () => {
  it("keeps 5 examples of a locale holding a small part of the outcome's events, besides the 10 of all", () => {
    const s: ExampleSample = {};
    for (let i = 0; i < 400; i++) addExampleEvent(s, down(i, i % 40 === 0 ? "ja" : "en"));
    const ja = examplesIn(s, "feedback_down", "tags.locale", "ja");
    expect(ja).toHaveLength(EXAMPLES_PER_SEGMENT);
    for (const e of ja) expect(e.tags).toEqual({ locale: "ja" });
    // The 10 lowest of all (en, but for a ja one among them), then the lowest ja ones.
    const all = s.feedback_down ?? [];
    const en = all.filter((e) => e.tags?.locale === "en");
    expect(all.slice(0, EXAMPLES_PER_OUTCOME)).toEqual(expect.arrayContaining(en));
    expect(all.length).toBeGreaterThan(EXAMPLES_PER_OUTCOME);
  });

  it("merges halves with several segments into exactly the sample of the whole", () => {
    const locales = ["en", "de", "fr", "ja"];
    const whole: ExampleSample = {};
    const a: ExampleSample = {};
    const b: ExampleSample = {};
    for (let i = 0; i < 600; i++) {
      const e = down(i, locales[i % 7 === 0 ? 3 : i % 3] ?? "en");
      addExampleEvent(whole, e);
      addExampleEvent(i % 2 ? a : b, e);
    }
    expect(mergeExamples(a, b)).toEqual(whole);
    expect(whole.feedback_down?.length).toBeLessThanOrEqual(MAX_EXAMPLES_KEPT);
  });

  it("keeps at most 30 examples of an outcome however many segment values it meets", () => {
    const s: ExampleSample = {};
    for (let i = 0; i < 2_000; i++) addExampleEvent(s, down(i, `l${i % 300}`));
    expect(s.feedback_down).toHaveLength(MAX_EXAMPLES_KEPT);
  });
});
