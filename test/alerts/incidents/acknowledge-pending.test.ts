// Acknowledging a pending incident stops its reminders only: the first firing
// notification still reaches the receiver through the real outbox and queue (issue 22, item 3).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { alertingDeployment, deliveriesOf, ERROR_RULE_ID, received } from "../../alert-fixture";
import { call, createProject, waitFor } from "../../helpers";

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function incidentOf(deploymentId: string) {
  return env.DB.prepare(
    "SELECT id, status, acked_at FROM incidents WHERE deployment_id = ? AND rule_id = ?",
  )
    .bind(deploymentId, ERROR_RULE_ID)
    .first<{ id: string; status: string; acked_at: number | null }>();
}

describe("acknowledging a pending incident", () => {
  it("still delivers its first firing notification, and then no reminder", async () => {
    const project = await createProject("ack-pending");
    const d = await alertingDeployment("ack-pending", { projectId: project.id, forMinutes: 2 });
    await evaluateDeployment(env, d.deployment, d.minute);
    const pending = await incidentOf(d.deployment.id);
    expect(pending?.status).toBe("pending");
    const id = pending?.id ?? "";
    const acked = await call(`/v1/incidents/${id}/ack?project=${project.id}`, {
      method: "POST",
      key: project.admin,
    });
    expect(acked.status).toBe(200);

    await evaluateDeployment(env, d.deployment, d.minute + MINUTE);
    await evaluateDeployment(env, d.deployment, d.minute + 2 * MINUTE);
    expect(await incidentOf(d.deployment.id)).toMatchObject({ status: "firing" });
    const got = await waitFor(
      () => received(d.hook),
      (r) => r.length > 0,
    );
    expect(got).toHaveLength(1);
    expect(got[0]?.body).toContain(d.deployment.slug);
    const [delivery] = await waitFor(
      () => deliveriesOf(d.projectId),
      (rows) => rows[0]?.status === "delivered",
    );
    expect(delivery?.status).toBe("delivered");

    // Still breaching a minute later: the ack holds back everything else.
    await evaluateDeployment(env, d.deployment, d.minute + 3 * MINUTE);
    await sleep(1_000);
    expect(await received(d.hook)).toHaveLength(1);
  }, 60_000);
});
