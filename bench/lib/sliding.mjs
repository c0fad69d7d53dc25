// Bench plumbing: a sliding window of minute buckets kept with two stacks (about five merges a
// minute instead of fifteen), and an incident tracker with the incident machine's semantics.

/** The merge of the last `size` pushed buckets; pushed buckets are never modified. */
export class SlidingWindow {
  constructor(alerts, size) {
    this.a = alerts;
    this.size = size;
    this.front = []; // suffix aggregates of the older block: front[k] = merge(items k..end)
    this.head = 0;
    this.back = [];
    this.backAgg = alerts.emptyBucket();
  }

  get length() {
    return this.front.length - this.head + this.back.length;
  }

  push(bucket) {
    this.back.push(bucket);
    this.a.mergeBuckets(this.backAgg, bucket);
    if (this.length > this.size) this.pop();
  }

  pop() {
    if (this.head >= this.front.length) this.flip();
    this.head++;
  }

  flip() {
    const { a } = this;
    const suffix = new Array(this.back.length);
    let acc = null;
    for (let k = this.back.length - 1; k >= 0; k--) {
      const next = a.emptyBucket();
      if (acc) a.mergeBuckets(next, acc);
      a.mergeBuckets(next, this.back[k]);
      suffix[k] = next;
      acc = next;
    }
    this.front = suffix;
    this.head = 0;
    this.back = [];
    this.backAgg = a.emptyBucket();
  }

  /** A fresh bucket holding the window. */
  window() {
    const out = this.a.emptyBucket();
    const front = this.front[this.head];
    if (front) this.a.mergeBuckets(out, front);
    this.a.mergeBuckets(out, this.backAgg);
    return out;
  }
}

/**
 * Per-rule incident status, stepped once a minute like src/alerts/incidents/incident-machine.ts:
 * a breach opens a pending episode that fires once it has lasted `for_minutes` (at once for
 * 0); ok closes it; insufficient_data holds; no_data follows the rule's no_data setting.
 * Counts transitions into firing (incidents) per rule.
 */
export class IncidentTracker {
  constructor(rules) {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.state = new Map();
    this.incidents = new Map();
    this.total = 0;
  }

  /** Steps every result; returns the ids of rules that started firing this minute. */
  step(results, minute) {
    const fired = [];
    for (const res of results) {
      const rule = this.rules.get(res.rule_id);
      const s = this.state.get(res.rule_id) ?? { status: "inactive", since: 0 };
      let signal = res.outcome;
      if (signal === "no_data")
        signal =
          rule.no_data === "alert"
            ? "breach"
            : rule.no_data === "keep"
              ? s.status === "inactive"
                ? "ok"
                : "breach"
              : "hold";
      if (signal === "insufficient_data" || signal === "hold") continue;
      if (s.status === "inactive") {
        if (signal === "breach") {
          s.status = rule.for_minutes === 0 ? "firing" : "pending";
          s.since = minute;
        }
      } else if (s.status === "pending") {
        if (signal === "ok") s.status = "inactive";
        else if (minute - s.since >= rule.for_minutes) s.status = "firing";
      } else if (signal === "ok") s.status = "inactive";
      if (s.status === "firing" && !s.counted) {
        s.counted = true;
        fired.push(res.rule_id);
        this.incidents.set(res.rule_id, (this.incidents.get(res.rule_id) ?? 0) + 1);
        this.total++;
      }
      if (s.status !== "firing") s.counted = false;
      this.state.set(res.rule_id, s);
    }
    return fired;
  }
}
