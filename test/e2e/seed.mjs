// Seed data for the browser tests, the screenshots and bench/status-page, as SQL for
// `wrangler d1 execute`: a project with known keys (stored hashed, as the API would),
// a public status page, deployments with 30 days of hourly rollups, releases, drift
// checks and incidents in known states, all relative to `now`.
import { createHash } from "node:crypto";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const E2E_KEYS = {
  read: "dw_read_e2e-read-key-0000000000000000000000000000",
  admin: "dw_admin_e2e-admin-key-000000000000000000000000000",
};

const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const q = (v) =>
  v === null || v === undefined
    ? "NULL"
    : typeof v === "number"
      ? String(v)
      : `'${String(v).replaceAll("'", "''")}'`;

/** A deterministic PRNG (mulberry32) so every run seeds the same curves. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function insert(table, row) {
  return `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.values(row).map(q).join(", ")});`;
}

/**
 * The default e2e world. Deployments:
 * - support-bot: prompt v14 shipped 5 h ago; a critical thumbs-down incident firing since
 *   4 h ago (not acknowledged): "Degraded" (a quality signal is never an outage).
 * - search: a warning latency incident 3 days ago, resolved: "Operational".
 * - summarizer: quiet: "Operational".
 * - translator: listed on the page but never sent an event: "No data".
 */
export function e2eWorld(now) {
  return {
    projectId: "prj_e2e",
    page: { slug: "acme", title: "Acme AI", description: "Live quality of Acme's AI assistants." },
    deployments: [
      { slug: "support-bot", name: "Support assistant", volume: 120, p95: 1800, thumbsDown: 0.06 },
      { slug: "search", name: "Search answers", volume: 300, p95: 900, thumbsDown: 0.04 },
      { slug: "summarizer", name: "Document summaries", volume: 60, p95: 2600, thumbsDown: 0.05 },
      { slug: "translator", name: "Translation", volume: 0 },
    ],
    releases: [
      { slug: "support-bot", prompt: "v13", model: "gpt-4o-mini", at: now - 20 * DAY },
      { slug: "support-bot", prompt: "v14", model: "gpt-4o-mini", at: now - 5 * HOUR },
      { slug: "search", prompt: "s7", model: "gpt-4o-mini", at: now - 25 * DAY },
      { slug: "search", prompt: "s7", model: "gpt-4.1-mini", at: now - 9 * DAY },
      { slug: "summarizer", prompt: "m2", model: "claude-haiku", at: now - 28 * DAY },
    ],
    incidents: [
      {
        id: "inc_e2e_open",
        slug: "support-bot",
        metric: "thumbs_down_rate",
        rule: "default:thumbs_down_rate",
        severity: "critical",
        status: "firing",
        firingAt: now - 4 * HOUR,
        ackedAt: null,
        resolvedAt: null,
        value: 0.21,
        baseline: 0.06,
      },
      {
        id: "inc_e2e_latency",
        slug: "search",
        metric: "latency_ms",
        rule: "default:latency_ms_p95",
        severity: "warning",
        status: "resolved",
        firingAt: now - 3 * DAY,
        ackedAt: now - 3 * DAY + 20 * 60_000,
        resolvedAt: now - 3 * DAY + 2 * HOUR,
        value: 2100,
        baseline: 900,
      },
    ],
    // What the team wrote on the resolved latency incident (issue 28).
    updates: [
      {
        id: "upd_e2e_latency",
        incidentId: "inc_e2e_latency",
        status: "identified",
        text: "A slower model region; traffic moved back. p95 < 1 s again.",
        at: now - 3 * DAY + 30 * 60_000,
      },
    ],
    // Maintenance announced on search for tomorrow, and running now on the summarizer (issue 28).
    maintenances: [
      {
        id: "mnt_e2e_ahead",
        title: "Search index migration",
        text: "Search answers may be slower for up to two hours.",
        startsAt: now + DAY,
        endsAt: now + DAY + 2 * HOUR,
        slugs: ["search"],
      },
      {
        id: "mnt_e2e_now",
        title: "Summarizer model upgrade",
        text: "Summaries may take longer while we switch models.",
        startsAt: now - 30 * 60_000,
        endsAt: now + 90 * 60_000,
        slugs: ["summarizer"],
      },
    ],
    // The support bot's quality drops after v14: thumbs-down and output length rise.
    driftFrom: { slug: "support-bot", at: now - 5 * HOUR, thumbsDown: 0.21, length: 1.8 },
  };
}

/**
 * Bench world: `n` deployments with 14 days of incidents, one every `everyDays` days on
 * each deployment (3.5: four each, 40 in all).
 */
export function benchWorld(now, n = 10, everyDays = 3.5) {
  const deployments = Array.from({ length: n }, (_, k) => ({
    slug: `assistant-${k + 1}`,
    name: `Assistant ${k + 1}`,
    volume: 100,
    p95: 1000 + 100 * k,
    thumbsDown: 0.05,
  }));
  const incidents = deployments.flatMap((d, k) =>
    Array.from({ length: Math.floor(14 / everyDays) }, (_, j) => {
      const firingAt = now - (j * everyDays + 1) * DAY - k * HOUR;
      return {
        id: `inc_bench_${k}_${j}`,
        slug: d.slug,
        metric: j % 2 ? "latency_ms" : "thumbs_down_rate",
        rule: j % 2 ? "default:latency_ms_p95" : "default:thumbs_down_rate",
        severity: j % 3 ? "warning" : "critical",
        status: "resolved",
        firingAt,
        ackedAt: firingAt + 10 * 60_000,
        resolvedAt: firingAt + 90 * 60_000,
        value: 0.2,
        baseline: 0.05,
      };
    }),
  );
  return {
    projectId: "prj_bench",
    page: {
      slug: "bench",
      title: "Bench AI",
      description: "Ten deployments, two weeks of incidents.",
    },
    deployments,
    releases: deployments.map((d) => ({
      slug: d.slug,
      prompt: "v1",
      model: "gpt-4o-mini",
      at: now - 30 * DAY,
    })),
    incidents,
    // Three updates a team wrote on the latest incident of the first deployment (issue 28).
    updates: [
      ["identified", 20, "A prompt change made answers cite the wrong policy; rolling it back."],
      ["monitoring", 45, "Rolled back to the previous prompt. Watching satisfaction recover."],
      ["resolved", 85, "Satisfaction is back to its baseline. Sorry for the wrong answers."],
    ].map(([status, minutes, text], k) => ({
      id: `upd_bench_${k}`,
      incidentId: incidents[0].id,
      status,
      text,
      at: incidents[0].firingAt + minutes * 60_000,
    })),
    // A maintenance window running now on two deployments (issue 28): its card and their
    // "Under maintenance" labels count in the page's weight.
    maintenances: [
      {
        id: "mnt_bench_0",
        title: "Vector index migration",
        text: "We are moving the search index to a larger cluster. Answers may be slower for up to two hours; no data is lost.",
        startsAt: now - HOUR,
        endsAt: now + HOUR,
        slugs: deployments.slice(0, 2).map((d) => d.slug),
      },
    ],
    // A probe shown as its own component (issue 28): a run every 2 hours for 30 days, one
    // wrong answer on two of the days, so its bars carry two days with their own tooltips.
    probes: [
      {
        id: "prb_bench",
        name: "Answers to known questions",
        runs: Array.from({ length: 360 }, (_, k) => ({
          at: now - k * 2 * HOUR,
          outcome: k === 40 || k === 200 ? "fail" : "pass",
        })),
      },
    ],
    driftFrom: null,
  };
}

function summaryOf(r, { count, p95, thumbsDown, length, errors }) {
  const up = Math.round(count * 0.25 * (1 - thumbsDown));
  const down = Math.round(count * 0.25 * thumbsDown);
  const ok = count - errors;
  const dist = (p50, p95v, extra = {}) => ({
    count,
    mean: p50 * 1.1,
    min: p50 / 3,
    max: p95v * 1.6,
    p50,
    p90: p95v * 0.85,
    p95: p95v,
    p99: p95v * 1.4,
    histogram: [],
    ...extra,
  });
  return {
    up,
    down,
    summary: {
      count,
      feedback_events: 0,
      status: { ok, error: errors, timeout: 0, refused: 0, filtered: 0 },
      feedback: { up, down },
      rates: {
        error: count ? errors / count : null,
        timeout: 0,
        refused: 0,
        filtered: 0,
        escalated: count ? 0.03 + 0.01 * r() : null,
        unanswered: count ? 0.02 : null,
        thumbs_down: up + down ? down / (up + down) : null,
        thumbs_up: up + down ? up / (up + down) : null,
      },
      rating: { count: 0, mean: null },
      distributions: {
        latency_ms: dist(p95 * 0.45, p95),
        ttft_ms: dist(p95 * 0.12, p95 * 0.25),
        output_tokens: dist(180 * length, 420 * length),
        output_chars: dist(720 * length * (0.95 + 0.1 * r()), 1700 * length),
        retrieval_top_score: dist(0.78 + 0.04 * r(), 0.93),
        evals: {
          groundedness: ((g) => dist(g, 0.98, { mean: g, max: 1 }))(
            0.86 + 0.05 * r() - (length > 1 ? 0.12 : 0),
          ),
        },
      },
      categories: {},
      tokens: { input: count * 900, output: Math.round(count * 200 * length) },
      cost: { total_usd: count * 0.0021 * length, per_request_usd: 0.0021 * length },
      dropped: { evals: 0, tag_keys: 0 },
    },
  };
}

/** SQL statements seeding `world` (see e2eWorld); `keys` are stored as hashes. */
export function seedSql(world, now, { keys = E2E_KEYS, hours = 30 * 24 } = {}) {
  const out = [];
  const pid = world.projectId;
  const settings = {
    enabled: true,
    show_release_labels: true,
    ...world.page,
    deployments: world.deployments.map((d) => ({
      environment: "production",
      slug: d.slug,
      name: d.name,
    })),
    ...(world.probes ? { probes: world.probes.map((p) => ({ id: p.id, name: p.name })) } : {}),
  };
  out.push(
    insert("projects", {
      id: pid,
      name: world.page.title,
      retention_days: 30,
      price_overrides: null,
      status_slug: world.page.slug,
      status_page: JSON.stringify(settings),
      created_at: now - 60 * DAY,
    }),
  );
  for (const [scope, secret] of Object.entries(keys)) {
    out.push(
      insert("api_keys", {
        id: `key_${pid}_${scope}`,
        project_id: pid,
        name: `e2e-${scope}`,
        hash: sha256(secret),
        prefix: secret.slice(0, 12),
        scopes: JSON.stringify([scope]),
        created_at: now - 60 * DAY,
        revoked_at: null,
      }),
    );
  }
  const topHour = Math.floor(now / HOUR) * HOUR;
  for (const [k, d] of world.deployments.entries()) {
    if (!d.volume) continue;
    const id = `${pid}:production:${d.slug}`;
    out.push(
      insert("deployments", {
        id,
        project_id: pid,
        environment: "production",
        slug: d.slug,
        first_seen: now - 45 * DAY,
        last_seen: now - 30_000,
      }),
    );
    const r = prng(1000 + k);
    const drift = world.driftFrom?.slug === d.slug ? world.driftFrom : null;
    for (let h = hours - 1; h >= 0; h--) {
      const t = topHour - h * HOUR;
      const hourOfDay = new Date(t).getUTCHours();
      const daily = 0.55 + 0.45 * Math.sin(((hourOfDay - 8) / 24) * 2 * Math.PI);
      const count = Math.max(1, Math.round(d.volume * 60 * daily * (0.9 + 0.2 * r())));
      const drifting = drift && t >= Math.floor(drift.at / HOUR) * HOUR;
      const p95 = d.p95 * (0.85 + 0.3 * r()) * (1 + 0.15 * daily);
      const s = summaryOf(r, {
        count,
        p95,
        thumbsDown: drifting ? drift.thumbsDown : d.thumbsDown * (0.8 + 0.4 * r()),
        length: drifting ? drift.length : 1,
        errors: Math.round(count * 0.004 * (0.5 + r())),
      });
      out.push(
        insert("rollups", {
          deployment_id: id,
          resolution: "1h",
          bucket_start: t,
          count,
          error_count: s.summary.status.error,
          feedback_up: s.up,
          feedback_down: s.down,
          latency_p50: s.summary.distributions.latency_ms.p50,
          latency_p95: p95,
          cost_usd: s.summary.cost.total_usd,
          summary: JSON.stringify(s.summary),
          updated_at: now,
        }),
      );
    }
  }
  for (const rel of world.releases) {
    const id = `${pid}:production:${rel.slug}`;
    const next = world.releases.find((x) => x.slug === rel.slug && x.at > rel.at);
    out.push(
      insert("releases", {
        deployment_id: id,
        model: rel.model,
        provider: "openai",
        prompt_version: rel.prompt,
        release: "",
        first_seen: rel.at,
        last_seen: next ? next.at : now - 30_000,
        event_count: 1000,
      }),
    );
  }
  for (const i of world.incidents) {
    const id = `${pid}:production:${i.slug}`;
    const startedAt = i.firingAt - 5 * 60_000;
    const check = {
      rule_id: i.rule,
      metric: i.metric,
      test: i.metric === "latency_ms" ? "quantile_ratio" : "z_test",
      outcome: "breach",
      value: i.value,
      baseline_value: i.baseline,
      message: `${i.metric} ${i.value} vs baseline ${i.baseline}`,
    };
    out.push(
      insert("incidents", {
        id: i.id,
        project_id: pid,
        deployment_id: id,
        rule_id: i.rule,
        fingerprint: `${id}|${i.rule}|${i.id}`,
        status: i.status,
        severity: i.severity,
        // The incident machine's whole state, as the evaluator writes it (API answers carry it).
        state: JSON.stringify({
          fingerprint: `${id}|${i.rule}|${i.id}`,
          status: i.status,
          started_at: startedAt,
          firing_at: i.firingAt,
          resolved_at: i.resolvedAt,
          last_notified_at: i.firingAt,
          last_evaluated_minute: i.resolvedAt ?? now,
          acked_at: i.ackedAt,
          silenced_until: null,
          last_value: i.value,
        }),
        last_check: JSON.stringify(check),
        started_at: startedAt,
        firing_at: i.firingAt,
        resolved_at: i.resolvedAt,
        acked_at: i.ackedAt,
        silenced_until: null,
        updated_at: i.resolvedAt ?? i.ackedAt ?? i.firingAt,
      }),
    );
  }
  for (const u of world.updates ?? []) {
    out.push(
      insert("incident_updates", {
        id: u.id,
        project_id: pid,
        incident_id: u.incidentId,
        status: u.status,
        body: u.text,
        author: "root",
        created_at: u.at,
      }),
    );
  }
  for (const p of world.probes ?? []) {
    for (const [k, r] of p.runs.entries()) {
      out.push(
        insert("probe_runs", {
          id: `run_${p.id}_${k}`,
          probe_id: p.id,
          project_id: pid,
          started_at: r.at,
          outcome: r.outcome,
          assertions: "[]",
        }),
      );
    }
  }
  for (const m of world.maintenances ?? []) {
    out.push(
      insert("maintenances", {
        id: m.id,
        project_id: pid,
        title: m.title,
        body: m.text,
        starts_at: m.startsAt,
        ends_at: m.endsAt,
        deployments: JSON.stringify(m.slugs.map((slug) => ({ environment: "production", slug }))),
        created_at: m.startsAt - DAY,
        updated_at: m.startsAt - DAY,
      }),
    );
  }
  // The latest drift checks of the support bot (what the dashboard lists).
  const minute = Math.floor(now / 60_000) * 60_000;
  const checks = [
    [
      "default:thumbs_down_rate",
      "breach",
      0.21,
      0.06,
      9.4,
      3,
      "thumbs-down rate 21 % vs 6 % (z 9.4 ≥ 3)",
    ],
    ["default:output_chars", "breach", 1290, 720, 0.41, 0.25, "output length PSI 0.41 ≥ 0.25"],
    ["default:latency_ms_p95", "ok", 1850, 1790, 1.03, 1.5, "latency p95 ratio 1.03 < 1.5"],
    ["default:error_rate", "ok", 0.004, 0.004, 0.1, 3, "error rate 0.4 % vs 0.4 % (z 0.1 < 3)"],
    [
      "default:cost_per_request",
      "ok",
      0.0023,
      0.0021,
      1.08,
      1.5,
      "cost per request ratio 1.08 < 1.5",
    ],
  ];
  if (world.deployments.some((d) => d.slug === "support-bot")) {
    for (const [rule, outcome, value, base, stat, threshold, message] of checks) {
      out.push(
        insert("check_results", {
          deployment_id: `${pid}:production:support-bot`,
          rule_id: rule,
          minute,
          outcome,
          value,
          baseline_value: base,
          statistic: stat,
          threshold,
          message,
        }),
      );
    }
  }
  return `${out.join("\n")}\n`;
}
