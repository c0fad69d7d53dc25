// One change, one incident (issue 22, item 5): the incidents one release change explains
// read as one public incident with several signals, and the public impact follows what the
// signals mean: answer length changing is not an outage, failing answers may be.
import { describe, expect, it } from "vitest";
import type { ReleaseRow } from "../../src/alerts/evaluation/baseline-ranges";
import { buildStatusModel, type IncidentRowIn } from "../../src/status/page-model";
import { impactOf } from "../../src/status/state";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 6, 15, 0);
const DEP = "prj:production:bot";
const release = (promptVersion: string, firstSeen: number, lastSeen: number): ReleaseRow => ({
  model: "m",
  provider: "p",
  promptVersion,
  release: "",
  firstSeen,
  lastSeen,
});
const RELEASES = [
  release("v13", NOW - 30 * 24 * 60 * MIN, NOW - 60 * MIN),
  release("v14", NOW - 60 * MIN, NOW),
];

let n = 0;
function incident(
  metric: string,
  severity: string,
  firedAgo: number,
  over: Partial<IncidentRowIn> = {},
): IncidentRowIn {
  const firingAt = NOW - firedAgo * MIN;
  return {
    id: `inc_${n++}`,
    deploymentId: DEP,
    ruleId: `default:${metric}`,
    status: "firing",
    severity,
    metric,
    startedAt: firingAt - 5 * MIN,
    firingAt,
    ackedAt: null,
    resolvedAt: null,
    updatedAt: firingAt,
    ...over,
  };
}

function model(incidents: IncidentRowIn[]) {
  return buildStatusModel({
    settings: {
      enabled: true,
      show_release_labels: true,
      slug: "acme",
      title: "Acme",
      deployments: [{ environment: "production", slug: "bot", name: "Assistant" }],
    },
    projectId: "prj",
    now: NOW,
    deployments: [
      {
        id: DEP,
        environment: "production",
        slug: "bot",
        firstSeen: NOW - 40 * 24 * 60 * MIN,
        lastSeen: NOW,
      },
    ],
    incidents,
    trafficDays: new Map(),
    hours: [],
    releases: new Map([[DEP, RELEASES]]),
  });
}

describe("public incidents after one release", () => {
  it("are one incident with every signal, not one card per rule", () => {
    const ten = [
      ...[
        "output_chars",
        "output_tokens",
        "output_chars",
        "output_tokens",
        "output_chars",
        "output_tokens",
      ].map((m, i) => incident(m, i % 2 === 0 ? "warning" : "critical", 50 - i)),
      incident("thumbs_down_rate", "warning", 40),
      incident("latency_ms", "warning", 38),
      incident("refusal_rate", "warning", 35),
      incident("finish_reason_mix", "warning", 30),
    ];
    const m = model(ten);
    expect(m.incidents).toHaveLength(1);
    const [one] = m.incidents;
    expect(one?.signals).toEqual([
      "Answer length changed",
      "More users unhappy with answers",
      "Slower answers",
      "More refused requests",
      "Answers ending differently",
    ]);
    expect(one?.release?.summary).toContain("v13 → v14");
    // A critical answer-length shift degrades the service; it is not an outage.
    expect(one?.impact).toBe("degraded");
    expect(m.components[0]?.state).toBe("degraded");
  });

  it("calls it a major outage only when answers fail", () => {
    const m = model([
      incident("output_chars", "critical", 50),
      incident("error_rate", "critical", 45),
    ]);
    expect(m.incidents).toHaveLength(1);
    expect(m.incidents[0]).toMatchObject({ impact: "major_outage", title: "More failed answers" });
    expect(m.components[0]?.state).toBe("major_outage");
  });

  it("keeps changes far apart without a release as separate incidents", () => {
    const noRelease = buildStatusModel({
      ...inputWithoutReleases(),
      incidents: [
        incident("latency_ms", "warning", 200),
        incident("thumbs_down_rate", "warning", 20),
      ],
    });
    expect(noRelease.incidents).toHaveLength(2);
  });

  it("stays open while any of its signals is", () => {
    const m = model([
      incident("latency_ms", "warning", 50, { status: "resolved", resolvedAt: NOW - 10 * MIN }),
      incident("thumbs_down_rate", "warning", 45),
    ]);
    expect(m.incidents[0]).toMatchObject({ open: true, resolvedAt: null });
  });
});

describe("public impact by meaning", () => {
  it("lets only availability signals be an outage", () => {
    expect(impactOf("output_chars", "critical")).toBe("degraded");
    expect(impactOf("model_mix", "critical")).toBe("degraded");
    expect(impactOf("thumbs_down_rate", "critical")).toBe("degraded");
    expect(impactOf("error_rate", "critical")).toBe("major_outage");
    expect(impactOf("timeout_rate", "critical")).toBe("major_outage");
    expect(impactOf("traffic", "critical")).toBe("major_outage");
    expect(impactOf("error_rate", "warning")).toBe("degraded");
  });
});

function inputWithoutReleases() {
  return {
    settings: {
      enabled: true,
      show_release_labels: true,
      slug: "acme",
      title: "Acme",
      deployments: [{ environment: "production", slug: "bot", name: "Assistant" }],
    },
    projectId: "prj",
    now: NOW,
    deployments: [{ id: DEP, environment: "production", slug: "bot", firstSeen: 0, lastSeen: NOW }],
    trafficDays: new Map(),
    hours: [],
    releases: new Map(),
  };
}
