import { describe, expect, it } from "vitest";
import { SseParser } from "../../src/probes/sse";

const parseAll = (chunks: string[]) => {
  const p = new SseParser();
  const events = chunks.flatMap((c) => p.push(c));
  return { events, end: p.end() };
};

describe("SSE parser", () => {
  it("dispatches an event at each blank line, joining multi-line data with newlines", () => {
    const { events } = parseAll(["data: a\ndata: b\n\ndata:c\n\n"]);
    expect(events).toEqual([
      { event: "message", data: "a\nb" },
      { event: "message", data: "c" },
    ]);
  });

  it("ignores comments, keeps event names and ids, strips one leading space only", () => {
    const { events } = parseAll([": keep-alive\nevent: delta\nid: 7\ndata:  two spaces\n\n"]);
    expect(events).toEqual([{ event: "delta", id: "7", data: " two spaces" }]);
  });

  it("handles CRLF, CR and LF line ends, also when split across chunks", () => {
    const { events } = parseAll(["data: x\r", "\n\r", "\ndata: y\r\r", "data: z\n", "\n"]);
    expect(events.map((e) => e.data)).toEqual(["x", "y", "z"]);
  });

  it("reassembles a line split across chunks", () => {
    const { events } = parseAll(['data: {"a"', ":1}\n", "\n"]);
    expect(events).toEqual([{ event: "message", data: '{"a":1}' }]);
  });

  it("does not dispatch an event without data, and reports an unterminated last event", () => {
    const { events, end } = parseAll(["event: ping\n\n", "data: tail"]);
    expect(events).toEqual([]);
    expect(end.incomplete).toBe(true);
  });

  it("a field without a colon is a field with an empty value", () => {
    const { events } = parseAll(["data\ndata\n\n"]);
    expect(events).toEqual([{ event: "message", data: "\n" }]);
  });
});
