// Written updates in the page model and the Statuspage v2 JSON, as pure functions: the
// latest 10 per incident oldest first, `updated_at` following them, the incident's status
// following the latest one, and a written resolution standing for the generated one.
import { describe, expect, it } from "vitest";
import {
  buildStatusModel,
  MAX_SHOWN_UPDATES,
  type StatusInput,
  type UpdateRowIn,
} from "../../src/status/page-model";
import { incidentsJson } from "../../src/status/statuspage-v2";

const NOW = Date.UTC(2026, 11, 6, 12);
const MIN = 60_000;

function input(updates: UpdateRowIn[], resolvedAt: number | null = null): StatusInput {
  return {
    settings: {
      enabled: true,
      show_release_labels: false,
      slug: "acme",
      title: "Acme",
      deployments: [{ environment: "production", slug: "bot", name: "Bot" }],
    },
    projectId: "prj",
    now: NOW,
    deployments: [
      { id: "d1", environment: "production", slug: "bot", firstSeen: NOW - 9e8, lastSeen: NOW },
    ],
    incidents: [
      {
        id: "inc1",
        deploymentId: "d1",
        ruleId: "default:error_rate",
        status: resolvedAt === null ? "firing" : "resolved",
        severity: "critical",
        metric: "error_rate",
        startedAt: NOW - 120 * MIN,
        firingAt: NOW - 115 * MIN,
        ackedAt: null,
        resolvedAt,
        updatedAt: NOW - 115 * MIN,
      },
    ],
    trafficDays: new Map(),
    hours: [],
    releases: new Map(),
    updates,
  };
}

const update = (k: number, status: UpdateRowIn["status"] = "identified"): UpdateRowIn => ({
  id: `upd_${String(k).padStart(2, "0")}`,
  incidentId: "inc1",
  status,
  body: `note ${k}`,
  createdAt: NOW - 100 * MIN + k * MIN,
});

describe("written updates in the status model", () => {
  it("keeps the latest 10 per incident, oldest first, and dates the incident by the last", () => {
    const rows = Array.from({ length: MAX_SHOWN_UPDATES + 2 }, (_, k) => update(k)).reverse();
    const m = buildStatusModel(input(rows));
    const shown = m.incidents[0]?.updates ?? [];
    expect(shown.map((u) => u.text)).toEqual(
      Array.from({ length: MAX_SHOWN_UPDATES }, (_, k) => `note ${k + 2}`),
    );
    expect(m.incidents[0]?.updatedAt).toBe(update(MAX_SHOWN_UPDATES + 1).createdAt);
    expect(m.updatedAt).toBe(update(MAX_SHOWN_UPDATES + 1).createdAt);
  });

  it("gives an open incident the status of its latest written update, and its first monitoring time", () => {
    const m = buildStatusModel(input([update(1, "monitoring"), update(2, "identified")]));
    const [i] = incidentsJson(m, "https://x.test/status/acme").incidents;
    expect(i?.status).toBe("identified");
    expect(i?.monitoring_at).toBe(new Date(update(1).createdAt).toISOString());
    expect(i?.incident_updates.map((u) => u.id)).toEqual(["upd_02", "upd_01", "inc1-detected"]);
  });

  it("lets a written resolution stand for the generated one, and keeps the generated one otherwise", () => {
    const resolvedAt = update(3).createdAt;
    const written = buildStatusModel(input([update(3, "resolved")], resolvedAt));
    const [a] = incidentsJson(written, "u").incidents;
    expect(a?.status).toBe("resolved");
    expect(a?.incident_updates.map((u) => u.id)).toEqual(["upd_03", "inc1-detected"]);
    const detected = buildStatusModel(input([update(1)], resolvedAt));
    const [b] = incidentsJson(detected, "u").incidents;
    expect(b?.incident_updates.map((u) => u.id)).toEqual([
      "inc1-resolved",
      "upd_01",
      "inc1-detected",
    ]);
  });
});
