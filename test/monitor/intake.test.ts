// The direct intake's group commit (src/monitor/intake.ts), driven with a commit the test
// finishes by hand: a lone request is committed at once; what arrives while a commit is in
// flight shares the next one, at once unless all of it are beacons (held for the quiet
// span); never two commits at a time; a failure fails its group only.
// (The Durable Object, its storage and the Worker's fallback: test/queue/direct-intake.test.ts.)
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import type { IngestRequest, IngestResult, IntakeRequest } from "../../src/monitor/ingest-request";
import { DirectIntake } from "../../src/monitor/intake";
import { QUIET_MAX_MS } from "../../src/monitor/intake-window";
import { testMonitor } from "./fixture";

const monitor = testMonitor("intake");
const request = (id: string, beacon = false): IntakeRequest => ({
  monitor,
  events: [{ id, type: "interaction", ts: 0, received_at: 0 } as unknown as ArchivedEvent],
  beacon,
});

/** A commit that records each call and finishes when the test says. */
function manualCommit() {
  const calls: { ids: string[]; finish: (ok: boolean) => void }[] = [];
  let open = 0;
  let mostOpen = 0;
  const commit = (req: IngestRequest) =>
    new Promise<IngestResult>((resolve, reject) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      calls.push({
        ids: req.events.map((e) => e.id),
        finish: (ok) => {
          open--;
          if (ok)
            resolve({
              accepted: req.events.length,
              duplicates: 0,
              dropped: 0,
              seen: null,
              releases: [],
            });
          else reject(new Error("commit failed"));
        },
      });
    });
  return { commit, calls, mostOpen: () => mostOpen };
}

const settle = () => new Promise((r) => setTimeout(r, QUIET_MAX_MS + 20));
/** Lets promise callbacks run, but no timer: what happens without waiting. */
const microtasks = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("the direct intake", () => {
  it("commits a lone request at once, without waiting for others", () => {
    const { commit, calls } = manualCommit();
    const intake = new DirectIntake(commit);
    void intake.submit(request("lone"));
    expect(calls.map((c) => c.ids)).toEqual([["lone"]]);
  });

  it("holds requests that arrive while a commit is in flight and commits them together next", async () => {
    const { commit, calls, mostOpen } = manualCommit();
    const intake = new DirectIntake(commit);
    const answers = ["a", "b", "c", "d", "e"].map((id) => intake.submit(request(id)));
    expect(calls.map((c) => c.ids)).toEqual([["a"]]);
    calls[0]?.finish(true);
    await settle();
    expect(calls.map((c) => c.ids)).toEqual([["a"], ["b", "c", "d", "e"]]);
    calls[1]?.finish(true);
    await Promise.all(answers);
    expect(mostOpen()).toBe(1);
    expect(intake.counters()).toEqual({ requests: 5, beacons: 0, events: 5, commits: 2 });
  });

  it("commits the requests held during a commit as soon as it finishes when their clients wait", async () => {
    const { commit, calls } = manualCommit();
    const intake = new DirectIntake(commit);
    const answers = ["w1", "w2", "w3"].map((id) => intake.submit(request(id)));
    calls[0]?.finish(true);
    await microtasks();
    expect(calls.map((c) => c.ids)).toEqual([["w1"], ["w2", "w3"]]);
    calls[1]?.finish(true);
    await Promise.all(answers);
  });

  it("holds beacons for the quiet span; a request whose client waits takes them into a commit at once", async () => {
    const { commit, calls } = manualCommit();
    const intake = new DirectIntake(commit);
    const answers = ["b1", "b2", "b3"].map((id) => intake.submit(request(id, true)));
    calls[0]?.finish(true);
    await microtasks();
    expect(calls.map((c) => c.ids)).toEqual([["b1"]]);
    answers.push(intake.submit(request("w")));
    expect(calls.map((c) => c.ids)).toEqual([["b1"], ["b2", "b3", "w"]]);
    calls[1]?.finish(true);
    await Promise.all(answers);
    expect(intake.counters()).toEqual({ requests: 4, beacons: 3, events: 4, commits: 2 });
  });

  it("commits held beacons together once the quiet span has passed", async () => {
    const { commit, calls } = manualCommit();
    const intake = new DirectIntake(commit);
    const answers = ["q1", "q2", "q3"].map((id) => intake.submit(request(id, true)));
    calls[0]?.finish(true);
    await settle();
    expect(calls.map((c) => c.ids)).toEqual([["q1"], ["q2", "q3"]]);
    calls[1]?.finish(true);
    await Promise.all(answers);
  });

  it("answers each request only once the commit holding it has finished", async () => {
    const { commit, calls } = manualCommit();
    const intake = new DirectIntake(commit);
    let answered = false;
    void intake.submit(request("x")).then(() => {
      answered = true;
    });
    await settle();
    expect(answered).toBe(false);
    calls[0]?.finish(true);
    await settle();
    expect(answered).toBe(true);
  });

  it("fails every request of a failed commit, and commits the next group on its own", async () => {
    const { commit, calls } = manualCommit();
    const intake = new DirectIntake(commit);
    const first = intake.submit(request("f1"));
    const held = [intake.submit(request("f2")), intake.submit(request("f3"))];
    calls[0]?.finish(false);
    await expect(first).rejects.toThrow("commit failed");
    await settle();
    expect(calls[1]?.ids).toEqual(["f2", "f3"]);
    calls[1]?.finish(false);
    for (const answer of held) await expect(answer).rejects.toThrow("commit failed");
    const later = intake.submit(request("g"));
    await settle();
    calls[calls.length - 1]?.finish(true);
    await expect(later).resolves.toBeUndefined();
  });
});
