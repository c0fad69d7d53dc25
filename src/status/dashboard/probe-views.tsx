// The probe pages' data turned into their views (src/status/dashboard/probe-pages.tsx):
// the routes only read the session and render.
import { decodeCursor } from "../../probes/run-store";
import { probeDetail, projectProbes } from "./probe-data";
import { ProbePage, ProbesPage } from "./probe-pages";
import { MessagePage, type Viewer } from "./shell";

export async function probesNode(db: D1Database, projectId: string, viewer: Viewer) {
  return <ProbesPage viewer={viewer} probes={await projectProbes(db, projectId)} />;
}

/** One probe's page, or a 404 page for a probe not of this project. */
export async function probeNode(
  db: D1Database,
  projectId: string,
  viewer: Viewer,
  probeId: string,
  cursorText: string | undefined,
): Promise<{ node: unknown; status: 200 | 404 }> {
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
  const detail = await probeDetail(db, projectId, probeId, cursor);
  if (!detail) {
    const message = `No probe '${probeId}' in this project.`;
    return {
      node: <MessagePage title="Probe not found" message={message} viewer={viewer} />,
      status: 404,
    };
  }
  const incidents = detail.incidents.map((i) => ({
    id: i.id,
    status: i.status,
    severity: i.severity,
    startedAt: i.startedAt,
    firingAt: i.firingAt,
    resolvedAt: i.resolvedAt,
    ackedAt: i.ackedAt,
    message: typeof i.lastCheck?.message === "string" ? i.lastCheck.message : null,
  }));
  return {
    node: (
      <ProbePage
        viewer={viewer}
        probe={detail.probe}
        runs={detail.runs}
        next={detail.next}
        incidents={incidents}
      />
    ),
    status: 200,
  };
}
