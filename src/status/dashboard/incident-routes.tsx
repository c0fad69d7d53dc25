// /dashboard/incidents: the filtered list, one page per incident, and the admin's forms on
// it (acknowledge, silence, resolve with an optional note, written updates). Each form calls
// the same domain operation as the API route (src/alerts/incidents/), which writes its audit
// entry in the same D1 batch; a refused input or a concurrent change re-renders the page with
// the reason beside the form, nothing written.
import { Hono } from "hono";
import {
  acknowledgeIncident,
  type IncidentActor,
  resolveIncident,
  silenceIncident,
} from "../../alerts/incidents/incident-actions";
import { incidentExamples } from "../../alerts/incidents/incident-examples";
import { postIncidentUpdate } from "../../alerts/incidents/incident-updates";
import { NewIncidentUpdateSchema, UpdateTextSchema } from "../../alerts/incidents/update-text";
import { loadRules } from "../../alerts/rules/effective-rules";
import type { AppEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { OperationError } from "../../shared/operation-error";
import { MINUTE_MS } from "../../shared/time";
import { projectDeployments } from "./data";
import { filteredIncidents, incidentDetail } from "./incident-data";
import { incidentExampleRoutes } from "./incident-examples";
import { parseIncidentFilter } from "./incident-filter";
import { IncidentListPage } from "./incident-list";
import { type FormProblem, IncidentPage } from "./incident-page";
import {
  adminForm,
  type Ctx,
  page,
  pageWithStatus,
  safeBack,
  seeOther,
  viewerOf,
  withSession,
} from "./route-kit";
import type { Session } from "./session";
import { MessagePage } from "./shell";

const MAX_SILENCE_MINUTES = 7 * 24 * 60;

async function incidentPage(c: Ctx, s: Session, id: string, problem?: FormProblem, status = 200) {
  const now = Date.now();
  let detail: Awaited<ReturnType<typeof incidentDetail>>;
  try {
    detail = await incidentDetail(c.env.DB, s.projectId, id, now);
  } catch (error) {
    if (!(error instanceof OperationError)) throw error;
    const node = (
      <MessagePage title="Incident not found" message={error.message} viewer={viewerOf(s)} />
    );
    return page(c, node, 404);
  }
  const rules = await loadRules(c.env.DB, s.projectId);
  const examples = await incidentExamples(c.env, detail.incident, detail.deployment, now);
  const node = (
    <IncidentPage
      viewer={viewerOf(s)}
      d={detail}
      examples={examples}
      rules={rules}
      now={now}
      {...(problem ? { problem } : {})}
    />
  );
  return status === 200 ? page(c, node) : pageWithStatus(c, node, status);
}

/** A form field's text checked as the API checks it; the message names the field's rule. */
function noteOf(
  text: string | undefined,
): { ok: true; text: string } | { ok: false; error: string } {
  const parsed = UpdateTextSchema.safeParse(text ?? "");
  return parsed.success
    ? { ok: true, text: parsed.data }
    : { ok: false, error: parsed.error.issues[0]?.message ?? "invalid" };
}

export const incidentRoutes = new Hono<AppEnv>()
  .route("/", incidentExampleRoutes)
  .get("/", (c) =>
    withSession(c, async (s) => {
      const now = Date.now();
      const { filter, ignored } = parseIncidentFilter(c.req.query());
      const [listed, deployments, rules] = await Promise.all([
        filteredIncidents(c.env.DB, s.projectId, filter, now),
        projectDeployments(c.env.DB, s.projectId),
        loadRules(c.env.DB, s.projectId),
      ]);
      return page(
        c,
        <IncidentListPage
          viewer={viewerOf(s)}
          filter={filter}
          ignored={ignored}
          rows={listed.rows}
          more={listed.more}
          deployments={deployments.map((d) => `${d.environment}/${d.slug}`)}
          ruleNames={new Map(rules.map((r) => [r.id, r.name]))}
          now={now}
        />,
      );
    }),
  )
  .get("/:id", (c) => withSession(c, (s) => incidentPage(c, s, c.req.param("id"))))
  .post("/:id/:action{ack|silence|update|resolve}", async (c) => {
    const admitted = await adminForm(c, "Acknowledging, silencing, resolving and writing updates");
    if (admitted instanceof Response) return admitted;
    const { form, s } = admitted;
    const id = c.req.param("id");
    const action = c.req.param("action");
    const by: IncidentActor = { db: c.env.DB, who: whoOf(c), projectId: s.projectId };
    const back = safeBack(form.back, `/dashboard/incidents/${id}`);
    try {
      if (action === "ack") {
        await acknowledgeIncident(by, id);
      } else if (action === "update") {
        const parsed = NewIncidentUpdateSchema.safeParse({
          status: form.status,
          text: form.text ?? "",
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path[0] === "status" ? "status" : "text";
          const problem: FormProblem = {
            form: "update",
            field,
            message: `The update's ${field}: ${issue?.message ?? "invalid"}`,
            text: form.text ?? "",
          };
          return incidentPage(c, s, id, problem, 400);
        }
        await postIncidentUpdate(by, id, parsed.data);
      } else if (action === "resolve") {
        // An optional note: with one, the resolve is a written "resolved" update.
        const typed = (form.text ?? "").trim();
        if (typed) {
          const note = noteOf(form.text);
          if (!note.ok) {
            const problem: FormProblem = {
              form: "resolve",
              field: "text",
              message: `The note: ${note.error}`,
              text: form.text ?? "",
            };
            return incidentPage(c, s, id, problem, 400);
          }
          await postIncidentUpdate(by, id, { status: "resolved", text: note.text });
        } else {
          await resolveIncident(by, id);
        }
      } else {
        const asked = Number.parseInt(form.minutes ?? "60", 10) || 60;
        const minutes = Math.min(MAX_SILENCE_MINUTES, Math.max(1, asked));
        await silenceIncident(by, id, Date.now() + minutes * MINUTE_MS);
      }
    } catch (thrown) {
      if (!(thrown instanceof OperationError)) throw thrown;
      if (thrown.code === "not_found") {
        const node = <MessagePage title="Not done" message={thrown.message} viewer={viewerOf(s)} />;
        return pageWithStatus(c, node, 404);
      }
      // Resolved meanwhile, or changed by the evaluator or another person: say so on the
      // incident as it is now, keeping what was typed.
      const problem: FormProblem = {
        form: action === "resolve" ? "resolve" : action === "update" ? "update" : "actions",
        field: "text",
        message: `Not done: ${thrown.message}.`,
        text: form.text ?? "",
      };
      return incidentPage(c, s, id, problem, 409);
    }
    return seeOther(back.includes("#") ? back : `${back}#incident-${id}`);
  });
