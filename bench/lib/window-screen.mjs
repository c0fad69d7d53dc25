// A screen for bench/detection-incidents-distributions: whether a distribution window rule's
// check can breach this minute, read from the window's and the baseline's bin counts without
// building sketches. A minute the screen passes over is one whose check would not breach, and
// the bench skips it only while the rule's incident is inactive or resolved, where a check that
// does not breach changes nothing (stepIncident: inactive or resolved and ok or hold stay as
// they are). The statistics are the rules' own, on the same bins (the tabulated bins are the
// sketch's bins one for one): PSI and KS D exactly, the p95 ratio within the 1 % of a bin's
// value; each is compared with 0.9 of what the rule applies (p-values with 10 × alpha), so a
// check near its threshold always runs the real code. `--verify-screen` checks that claim.

/** A baseline's cumulative counts and the bins its quantiles fall in. */
export function baselineView(counts) {
  const cumulative = cumulate(counts);
  return { counts, cumulative, total: cumulative[cumulative.length - 1] ?? 0 };
}

function cumulate(counts) {
  const out = new Float64Array(counts.length);
  let acc = 0;
  for (let i = 0; i < counts.length; i++) out[i] = acc += counts[i];
  return out;
}

// The bin holding rank floor(q (n - 1)), as stepQuantile reads a sketch.
function quantileBin(cumulative, total, q) {
  const rank = Math.floor(q * (total - 1));
  for (let i = 0; i < cumulative.length; i++) if (cumulative[i] > rank) return i;
  return cumulative.length - 1;
}

/**
 * Per rule, a function of (baseline view, window counts) answering the rule's statistic and
 * whether the check can breach. `engine` brings the real psi, psiCalibratedQuantile and
 * ksAsymptoticPValue; `values` are the bins' values.
 */
export function screenFor(engine, rule, values) {
  const alpha = rule.alpha ?? engine.DISTRIBUTION_ALPHA;
  if (rule.test === "quantile_ratio" && (rule.quantile ?? "p95") === "p95") {
    const t = rule.threshold / 1.1;
    const direction = rule.direction ?? "up";
    return (base, window) => {
      const w = cumulate(window);
      const n = w[w.length - 1] ?? 0;
      if (n < rule.min_samples || base.total < rule.min_samples) return { can: false };
      const ratio =
        values[quantileBin(w, n, 0.95)] / values[quantileBin(base.cumulative, base.total, 0.95)];
      const up = ratio >= t;
      const down = ratio <= 1 / t;
      const can = direction === "up" ? up : direction === "down" ? down : up || down;
      return { can, statistic: ratio };
    };
  }
  if (rule.test === "psi" && (rule.bins ?? 10) === 10) {
    return (base, window) => {
      const w = cumulate(window);
      const n = w[w.length - 1] ?? 0;
      if (Math.min(n, base.total) < Math.max(rule.min_samples, 100)) return { can: false };
      const edges = [];
      for (let j = 1; j < 10; j++) {
        const e = quantileBin(base.cumulative, base.total, j / 10);
        if (e !== edges[edges.length - 1]) edges.push(e);
      }
      const bins = (cum, total) => {
        const out = [];
        let below = 0;
        for (const e of edges) {
          out.push(cum[e] - below);
          below = cum[e];
        }
        out.push(total - below);
        return out;
      };
      const value = engine.psi(bins(base.cumulative, base.total), bins(w, n));
      const k = edges.length + 1;
      const applied = Math.max(
        rule.threshold,
        engine.psiCalibratedQuantile(k, base.total, n, alpha),
      );
      return { can: value >= 0.9 * applied, statistic: value };
    };
  }
  if (rule.test === "ks") {
    return (base, window) => {
      const w = cumulate(window);
      const n = w[w.length - 1] ?? 0;
      if (n < rule.min_samples || base.total < rule.min_samples) return { can: false };
      let d = 0;
      for (let i = 0; i < w.length; i++) {
        d = Math.max(d, Math.abs(w[i] / n - base.cumulative[i] / base.total));
      }
      const p = engine.ksAsymptoticPValue(d, n, base.total);
      return { can: d >= 0.9 * rule.threshold && p < 10 * alpha, statistic: d };
    };
  }
  return () => ({ can: true });
}
