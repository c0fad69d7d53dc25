// The significance a distribution-shape rule (ks, psi) holds when it names no alpha. Without
// one such a rule was its effect floor alone, which small windows cross by chance: a custom KS
// rule at D >= 0.1 sees D >= 0.1 in about one 150-value window in ten on steady traffic
// (Kolmogorov's law at sqrt(150) x 0.1 = 1.22) and opened ~195 incidents a month at 10
// events/min. With this default every distribution rule holds the false-alarm budget.
import type { Rule } from "./rule-schema";

/** One false breach per 100,000 evaluations: ≤ 0.43 a month for a rule checked every minute. */
export const DISTRIBUTION_ALPHA = 1e-5;

/** The rule's own alpha, or the default significance. */
export function distributionAlpha(rule: Pick<Rule, "alpha">): number {
  return rule.alpha ?? DISTRIBUTION_ALPHA;
}
