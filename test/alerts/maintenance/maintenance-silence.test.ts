// A maintenance window silences its deployments' alerts: the incident is still stepped and
// recorded, nothing is written to the outbox while the window runs, and a firing still open
// when it ends is sent then. Deployments the window does not name notify as usual.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { type IncidentInput, stepIncident } from "../../../src/alerts/incidents/incident-machine";
import { alertingDeployment, deliveriesOf, firingIncidents } from "../../alert-fixture";

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

const input = (over: Partial<IncidentInput>): IncidentInput => ({
  previous: null,
  deployment_id: "d",
  rule_id: "r",
  outcome: "breach",
  minute: T0,
  for_minutes: 0,
  no_data: "ignore",
  ...over,
});

describe("the incident machine under maintenance", () => {
  it("fires without notifying during the window, and sends the firing once it is over", () => {
    const during = stepIncident(input({ in_maintenance: true }));
    expect(during.state.status).toBe("firing");
    expect(during.notification).toBeNull();
    const after = stepIncident(input({ previous: during.state, minute: T0 + MINUTE }));
    expect(after.notification).toEqual({ kind: "firing" });
  });

  it("sends no resolution for an incident that fired and cleared inside the window", () => {
    const fired = stepIncident(input({ in_maintenance: true }));
    const cleared = stepIncident(
      input({ previous: fired.state, outcome: "ok", minute: T0 + MINUTE, in_maintenance: true }),
    );
    expect(cleared.state.status).toBe("resolved");
    expect(cleared.notification).toBeNull();
    const later = stepIncident(
      input({ previous: cleared.state, outcome: "ok", minute: T0 + 2 * MINUTE }),
    );
    expect(later.notification).toBeNull();
  });

  it("still resolves, to its receivers, an incident notified before the window", () => {
    const fired = stepIncident(input({}));
    expect(fired.notification).toEqual({ kind: "firing" });
    const cleared = stepIncident(
      input({ previous: fired.state, outcome: "ok", minute: T0 + MINUTE, in_maintenance: true }),
    );
    expect(cleared.state.status).toBe("resolved");
    expect(cleared.notification).toEqual({ kind: "resolved" });
  });

  it("sends no reminder for an incident firing into the window", () => {
    const fired = stepIncident(input({ repeat_interval_minutes: 1 }));
    const during = stepIncident(
      input({
        previous: fired.state,
        minute: T0 + 5 * MINUTE,
        repeat_interval_minutes: 1,
        in_maintenance: true,
      }),
    );
    expect(during.notification).toBeNull();
    const after = stepIncident(
      input({ previous: during.state, minute: T0 + 6 * MINUTE, repeat_interval_minutes: 1 }),
    );
    expect(after.notification).toEqual({ kind: "repeat" });
  });
});

async function maintain(projectId: string, slug: string, from: number, to: number) {
  await env.DB.prepare(
    `INSERT INTO maintenances (id, project_id, title, body, starts_at, ends_at, deployments, created_at, updated_at)
     VALUES (?1, ?2, 'Upgrade', 'Work', ?3, ?4, ?5, ?3, ?3)`,
  )
    .bind(`mnt_${slug}`, projectId, from, to, JSON.stringify([{ environment: "production", slug }]))
    .run();
}

describe("evaluating a deployment under maintenance", () => {
  it("records the incident and writes no notification while the window runs, then notifies after it", async () => {
    const d = await alertingDeployment("maintained");
    await maintain(d.projectId, d.deployment.slug, d.minute - MINUTE, d.minute + MINUTE);
    const during = await evaluateDeployment(env, d.deployment, d.minute);
    expect(during.notifications).toBe(0);
    expect(await firingIncidents(d.deployment.id)).toHaveLength(1);
    expect(await deliveriesOf(d.projectId)).toHaveLength(0);
    // The window is over and the rule still breaches: the firing goes out now.
    const after = await evaluateDeployment(env, d.deployment, d.minute + MINUTE);
    expect(after.notifications).toBe(1);
  }, 60_000);

  it("notifies as usual for a deployment the window does not name", async () => {
    const d = await alertingDeployment("not-maintained");
    await maintain(d.projectId, "some-other-bot", d.minute - MINUTE, d.minute + MINUTE);
    const summary = await evaluateDeployment(env, d.deployment, d.minute);
    expect(summary.notifications).toBe(1);
  }, 60_000);
});
