// bench/attribution's sections for distribution and mix rules: latency that rises in one
// value of a `locale` tag of k values (or everywhere) under the default latency p95 rule, the
// retrieval top score falling likewise under the default retrieval-score rule, and a new
// model taking a share of the traffic under the default model-mix rule. Each run
// builds its windows from events (sketches, segment counts and moments as the object keeps
// them) and records whether the rule fired and what its attribution named.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gauss = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
/** How much slower the changed traffic is: its median lies above the baseline's p95 (1,820 ms). */
const FACTOR = 4;
const pct = (x, n) => (n === 0 ? "–" : `${((100 * x) / n).toFixed(1)} %`);

/** How far the changed traffic's retrieval scores fall: 0.75 → 0.45, 3 standard deviations. */
const DROP = 0.3;

/**
 * n interactions; `pick` gives (locale, model, changed) for each, latency lognormal(800, 0.5)
 * × FACTOR when changed; with `scores`, a retrieval top score N(0.75, 0.1) clipped to [0, 1],
 * DROP lower when changed (and the latency unchanged).
 */
function windowOf(E, r, n, pick, scores = false) {
  const bucket = E.emptyBucket();
  const segments = E.emptySegments();
  const moments = E.emptyMoments();
  for (let i = 0; i < n; i++) {
    const { locale, model, changed } = pick(r);
    const e = {
      type: "interaction",
      id: `e${i}`,
      deployment: "d",
      environment: "production",
      ts: 0,
      status: "ok",
      model,
      latency_ms: 800 * Math.exp(0.5 * gauss(r)) * (changed && !scores ? FACTOR : 1),
      tags: { locale },
    };
    if (scores) {
      const score = 0.75 + 0.1 * gauss(r) - (changed ? DROP : 0);
      e.retrieval = { top_score: Math.min(1, Math.max(0, score)) };
    }
    E.addEvent(bucket, e);
    // Uncapped, then folded by count, as the object counts a batch (segmentMinutes).
    E.addSegmentEvent(segments, e, false);
    E.addMomentEvent(moments, e, false);
  }
  return {
    bucket,
    segments: E.mergeSegments(E.emptySegments(), segments),
    moments: E.mergeMoments(E.emptyMoments(), moments),
  };
}

function evaluate(E, rule, base, cur) {
  return E.evaluateRule(rule, {
    current: cur.bucket,
    baseline: base.bucket,
    currentMinutes: 15,
    baselineMinutes: 7 * 24 * 60,
    segments: {
      current: cur.segments,
      baseline: base.segments,
      moments: { current: cur.moments, baseline: base.moments },
    },
  });
}

export function shiftSections(E, { runs, window, baseline, ks, shares }) {
  const latency = E.DEFAULT_RULES.find((x) => x.id === "default:latency_ms_p95");
  const mixRule = E.DEFAULT_RULES.find((x) => x.id === "default:model_mix");
  const started = performance.now();
  let seed = 10_000;
  const locale = (r, k, share) => (r() < share ? "l0" : `l${1 + Math.floor(r() * (k - 1))}`);
  const retrieval = E.DEFAULT_RULES.find((x) => x.id === "default:retrieval_top_score");
  const shiftRun = (rule, scores) => (k, share, everywhere) => {
    const r = mulberry32(seed++);
    const base = windowOf(
      E,
      r,
      baseline,
      (q) => ({ locale: locale(q, k, share), model: "m", changed: false }),
      scores,
    );
    const cur = windowOf(
      E,
      r,
      window,
      (q) => {
        const l = locale(q, k, share);
        return { locale: l, model: "m", changed: everywhere || l === "l0" };
      },
      scores,
    );
    const c = evaluate(E, rule, base, cur);
    return {
      fired: c.outcome === "breach",
      top: c.attribution?.segments[0]?.name ?? null,
      everywhere: c.attribution?.everywhere ?? null,
    };
  };
  /** The one-value and everywhere tables of a distribution rule's runs. */
  const tables = (run) => {
    const one = [];
    for (const k of ks) {
      for (const share of shares) {
        const res = Array.from({ length: runs }, () => run(k, share, false));
        const fired = res.filter((x) => x.fired);
        const right = fired.filter((x) => x.top === "locale=l0").length;
        const every = fired.filter((x) => x.everywhere).length;
        one.push(
          `| ${k} | ${share * 100} % | ${runs} | ${pct(fired.length, runs)} | ${pct(right, fired.length)} | ${pct(every, fired.length)} |`,
        );
      }
    }
    const all = [];
    for (const k of ks) {
      const res = Array.from({ length: runs }, () => run(k, 1 / k, true));
      const fired = res.filter((x) => x.fired);
      all.push(
        `| ${k} | ${runs} | ${pct(fired.length, runs)} | ${pct(fired.filter((x) => x.everywhere).length, fired.length)} |`,
      );
    }
    return { one, all };
  };
  const { one, all } = tables(shiftRun(latency, false));
  const scoreStarted = performance.now();
  const scores = tables(shiftRun(retrieval, true));
  const scoreSeconds = ((performance.now() - scoreStarted) / 1000).toFixed(1);
  // Mix: k models evenly, then a new model taking `share` of the window's traffic.
  const mixRun = (k, share) => {
    const r = mulberry32(seed++);
    const model = (q, s) => (q() < s ? "new" : `m${Math.floor(q() * k)}`);
    const base = windowOf(E, r, baseline, (q) => ({
      locale: "en",
      model: model(q, 0),
      changed: false,
    }));
    const cur = windowOf(E, r, window, (q) => ({
      locale: "en",
      model: model(q, share),
      changed: false,
    }));
    const c = evaluate(E, mixRule, base, cur);
    return { fired: c.outcome === "breach", top: c.attribution?.segments[0]?.name ?? null };
  };
  const mix = [];
  let mixFolded = null;
  for (const k of [2, 5, 20]) {
    for (const share of shares) {
      const res = Array.from({ length: runs }, () => mixRun(k, share));
      const fired = res.filter((x) => x.fired);
      const right = fired.filter((x) => x.top === "model=new").length;
      if (k === 20 && share === 0.01) mixFolded = pct(fired.length, runs);
      mix.push(
        `| ${k} | ${share * 100} % | ${runs} | ${pct(fired.length, runs)} | ${pct(right, fired.length)} |`,
      );
    }
  }
  const mixFalse = mixFolded ?? "–";
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `## Distribution rules: latency rising in one value

The default latency p95 rule (quantile ratio ≥ 1.5) on windows of ${window.toLocaleString("en")}
interactions against ${baseline.toLocaleString("en")}, latency log-normal (median 800 ms, σ 0.5 on the log
scale), × ${FACTOR} in the window in one \`locale\` value (\`l0\`, holding the stated share) or
everywhere; ${runs} runs each. Attribution compares each segment's shift of the mean of
ln(1 + latency) with the rest's (\`src/drift/segment-shift.ts\`).

| k values | segment share | runs | rule fired | top segment right (of fired) | said everywhere (of fired) |
| -------: | ------------: | ---: | ---------: | ---------------------------: | -------------------------: |
${one.join("\n")}

| k values (change everywhere) | runs | rule fired | said everywhere (of fired) |
| ---------------------------: | ---: | ---------: | -------------------------: |
${all.join("\n")}

## Distribution rules on scores: the retrieval top score falling in one value

The default retrieval-score rule (PSI ≥ 0.1 over the baseline's deciles) on the same window
sizes, scores N(0.75, 0.1) clipped to [0, 1], ${DROP} lower in the window in one \`locale\`
value (\`l0\`) or everywhere; ${runs} runs each (${scoreSeconds} s). Attribution compares
each segment's shift of the mean score with the rest's (\`src/drift/segment-shift.ts\`, on
the scores' own scale).

| k values | segment share | runs | rule fired | top segment right (of fired) | said everywhere (of fired) |
| -------: | ------------: | ---: | ---------: | ---------------------------: | -------------------------: |
${scores.one.join("\n")}

| k values (change everywhere) | runs | rule fired | said everywhere (of fired) |
| ---------------------------: | ---: | ---------: | -------------------------: |
${scores.all.join("\n")}

## Mix rules: a new model taking a share of the traffic

The default model-mix rule (JS distance ≥ 0.1 and p < its alpha) on the same window sizes:
k models evenly in the baseline, then a new model taking the stated share of the window's
traffic; ${runs} runs each. Attribution names the categories whose share moved
(\`src/drift/category-shift.ts\`); "right" is the new model named first.

| k models | new model's share | runs | rule fired | top category right (of fired) |
| -------: | ----------------: | ---: | ---------: | ----------------------------: |
${mix.join("\n")}

At k = 20 the new model is a 21st value: a bucket keeps 20 per dimension and folds the rest
into \`other\` as they arrive, so the new model takes a slot and a regular model falls into
\`other\`; at 1 % the rule then fires on that folding (${mixFalse} of runs) and the attribution names
the folded model or \`model (values beyond the top 20)\`, never the new one. A detection
matter of the bucket's caps (see docs/detection.md), not of the attribution.

Simulation of these three sections: ${seconds} s.
`;
}
