import { describe, expect, it } from "vitest";
import { PromiseCache } from "../../src/shared/promise-cache";

function counter() {
  let calls = 0;
  return {
    load: (value: string) => () => {
      calls += 1;
      return Promise.resolve(value);
    },
    calls: () => calls,
  };
}

describe("PromiseCache", () => {
  it("loads a key once while it is fresh and again once it has expired", async () => {
    let clock = 1_000;
    const cache = new PromiseCache<string>(20, 10, () => clock);
    const c = counter();
    expect(await cache.get("a", c.load("one"))).toBe("one");
    clock += 19;
    expect(await cache.get("a", c.load("two"))).toBe("one");
    expect(c.calls()).toBe(1);
    clock += 1;
    expect(await cache.get("a", c.load("three"))).toBe("three");
    expect(c.calls()).toBe(2);
  });

  it("does not keep a failed load: the next caller loads again", async () => {
    const cache = new PromiseCache<string>(60_000, 10);
    await expect(cache.get("a", () => Promise.reject(new Error("D1 down")))).rejects.toThrow(
      "D1 down",
    );
    expect(await cache.get("a", () => Promise.resolve("back"))).toBe("back");
  });

  it("keeps at most maxEntries keys, dropping the oldest first", async () => {
    const cache = new PromiseCache<string>(60_000, 2);
    const c = counter();
    await cache.get("a", c.load("a"));
    await cache.get("b", c.load("b"));
    await cache.get("c", c.load("c"));
    expect(c.calls()).toBe(3);
    await cache.get("c", c.load("c"));
    await cache.get("b", c.load("b"));
    expect(c.calls()).toBe(3);
    await cache.get("a", c.load("a"));
    expect(c.calls()).toBe(4);
  });

  it("forgets a key on request, so this isolate's next read is fresh", async () => {
    const cache = new PromiseCache<string>(60_000, 10);
    await cache.get("a", () => Promise.resolve("old"));
    cache.forget("a");
    expect(await cache.get("a", () => Promise.resolve("new"))).toBe("new");
  });
});
