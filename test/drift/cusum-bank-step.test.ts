// The step every CUSUM bank shares (the Bernoulli and the normal-score banks differ only in
// their increments), shown with arms whose increment is simply their own number.
import { describe, expect, it } from "vitest";
import { advanceBank, initialBankState } from "../../src/drift/bernoulli-cusum";

const bank = {
  p0: 0.1,
  arms: [
    { threshold: 4, by: 1 },
    { threshold: 3, by: -1 },
    { threshold: 10, by: 3 },
  ],
};
const moved = (arm: { by: number }, statistic: number) => statistic + arm.by;

describe("a CUSUM bank's step", () => {
  it("moves each arm by its increment and counts the step into every run still open", () => {
    const { state, alarm } = advanceBank(bank, initialBankState(bank, 7), 7, moved, 2, 5);
    expect(state).toEqual([
      { statistic: 1, start: 7, successes: 2, trials: 5 },
      { statistic: 0, start: 8, successes: 0, trials: 0 },
      { statistic: 3, start: 7, successes: 2, trials: 5 },
    ]);
    expect(alarm).toBeNull();
  });

  it("holds an alarmed statistic at two thresholds and names the arm furthest past its own", () => {
    let r = advanceBank(bank, initialBankState(bank, 0), 0, moved, 1, 4);
    for (let step = 1; step < 12; step++) r = advanceBank(bank, r.state, step, moved, 1, 4);
    expect(r.state.map((s) => s.statistic)).toEqual([8, 0, 20]);
    expect(r.alarm).toEqual({
      arm: 0,
      statistic: 8,
      threshold: 4,
      changeStep: 0,
      estimate: 0.25,
    });
  });

  it("starts an arm missing from the state at this step, and estimates p0 from a run without trials", () => {
    const { state, alarm } = advanceBank(bank, [], 3, (arm) => arm.threshold * 3, 0, 0);
    expect(state[1]).toEqual({ statistic: 6, start: 3, successes: 0, trials: 0 });
    expect(alarm).toMatchObject({ arm: 0, statistic: 8, changeStep: 3, estimate: 0.1 });
  });
});
