// /dashboard: sign in with a read or admin key, the overview, one page per deployment, the
// probes and one page per probe, and the admin-only incident actions as plain HTML forms
// (no script needed anywhere). The incident pages and their forms are incident-routes.tsx.
import { Hono } from "hono";
import { currentBaseline } from "../../alerts/evaluation/baseline-source";
import { loadRules } from "../../alerts/rules/effective-rules";
import type { Rule } from "../../alerts/rules/rule-schema";
import { deploymentNamed } from "../../db/deployment-named";
import type { AppEnv, AuthContext } from "../../http/app-types";
import { projectKeyOf } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { DAY_MS } from "../../shared/time";
import { deploymentState } from "../state";
import { baselineRoutes } from "./baseline-routes";
import { breakdownPage } from "./breakdown-page";
import { channelRoutes } from "./channel-routes";
import {
  activeBaseline,
  deploymentReleases,
  hourRows,
  latestChecks,
  projectDeployments,
  recentIncidents,
} from "./data";
import { DeploymentPage, MINUTE_RANGES, RANGES, type Range } from "./deployment-page";
import { incidentRoutes } from "./incident-routes";
import { keyRoutes } from "./key-routes";
import { minuteRows } from "./minute-data";
import { OverviewPage } from "./overview";
import { probeSettingsRoutes } from "./probe-settings-routes";
import { probeNode, probesNode } from "./probe-views";
import { releaseComparePage } from "./release-compare";
import { linkedMarkers } from "./release-marker-links";
import {
  actAs,
  CROSS_SITE,
  type Ctx,
  EXPIRED,
  forbidden,
  formOf,
  page,
  safeBack,
  seeOther,
  viewerOf,
  withSession,
} from "./route-kit";
import { ruleRoutes } from "./rule-routes";
import {
  canView,
  closeSession,
  csrfValid,
  openSession,
  readSession,
  type Session,
} from "./session";
import { MessagePage, SignInPage } from "./shell";
import { SpendPage, spendView } from "./spend-page";
import { statusPageRoutes } from "./status-page-routes";
import {
  chartsOf,
  incidentViews,
  overviewFigures,
  RANGE_MS,
  type RuleLevelCheck,
  rangeBounds,
  releaseMarkers,
} from "./views";

/** Each rule's latest check with what its chart's threshold needs (the rule's test and metric). */
function ruleLevelChecks(
  checks: Awaited<ReturnType<typeof latestChecks>>,
  rules: ReadonlyMap<string, Rule>,
): (RuleLevelCheck & { ruleId: string })[] {
  return checks.flatMap((check) => {
    const rule = rules.get(check.ruleId);
    if (!rule) return [];
    return [
      {
        ruleId: check.ruleId,
        metric: rule.metric,
        name: rule.name,
        test: rule.test,
        value: check.value,
        baselineValue: check.baselineValue,
        statistic: check.statistic,
        threshold: check.threshold,
      },
    ];
  });
}

/** The sign-in form again, with why the key was refused (401, 403 or 429). */
async function refused(
  c: Ctx,
  status: 401 | 403 | 429,
  error: string,
  next: string,
  headers?: Record<string, string>,
) {
  const res = await page(c, <SignInPage error={error} next={next} />);
  const out = new Response(res.body, { status, headers: res.headers });
  for (const [name, value] of Object.entries(headers ?? {})) out.headers.set(name, value);
  return out;
}

async function overview(c: Ctx, s: Session) {
  const now = Date.now();
  const deployments = await projectDeployments(c.env.DB, s.projectId);
  const ids = deployments.map((d) => d.id);
  const { from } = rangeBounds("24h", now);
  const [rows, incidents] = await Promise.all([
    hourRows(c.env.DB, ids, from - 7 * DAY_MS),
    recentIncidents(c.env.DB, s.projectId, ids, now),
  ]);
  const views = deployments.map((d) => {
    const open = incidents.filter((i) => i.deploymentId === d.id && i.resolvedAt === null);
    return {
      environment: d.environment,
      slug: d.slug,
      state: deploymentState({ incidents: open, lastSeen: d.lastSeen, now }),
      openIncidents: open.filter((i) => i.status === "firing").length,
      ...overviewFigures(rows.get(d.id) ?? [], now),
    };
  });
  const rank = { major_outage: 0, degraded: 1, operational: 2, no_data: 3 } as const;
  views.sort((a, b) => rank[a.state] - rank[b.state] || a.slug.localeCompare(b.slug));
  return page(c, <OverviewPage viewer={viewerOf(s)} deployments={views} />);
}

async function deploymentPage(c: Ctx, s: Session, env: string, slug: string) {
  const now = Date.now();
  const dep = await deploymentNamed(c.env.DB, s.projectId, env, slug);
  if (!dep) {
    const message = `No deployment '${slug}' in environment '${env}' in this project.`;
    return page(
      c,
      <MessagePage title="Deployment not found" message={message} viewer={viewerOf(s)} />,
      404,
    );
  }
  const wanted = c.req.query("range");
  const range: Range = RANGES.includes(wanted as Range) ? (wanted as Range) : "24h";
  const { from, to } = rangeBounds(range, now);
  // 1 h and 2 h come per minute from the Durable Object (2 h of minutes, live); 6 h from
  // D1's 1-minute rollups (48 h, as the alarm flushes them); longer ranges hourly from D1.
  const perMinute = MINUTE_RANGES.includes(range);
  const [rows, incidents, releases, checks, baseline, rules] = await Promise.all([
    perMinute
      ? minuteRows(c.env, dep.id, from, to).then((r) => new Map([[dep.id, r]]))
      : hourRows(c.env.DB, [dep.id], from, range === "6h" ? "1m" : "1h"),
    recentIncidents(c.env.DB, s.projectId, [dep.id], now - RANGE_MS["30d"]),
    deploymentReleases(c.env.DB, dep.id),
    latestChecks(c.env.DB, dep.id, now),
    activeBaseline(c.env.DB, dep.id),
    loadRules(c.env.DB, s.projectId),
  ]);
  const { readiness, bucket: baselineBucket } = await currentBaseline(c.env, dep, now);
  const focusId = c.req.query("incident");
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const views = incidentViews(
    incidents,
    focusId,
    new Map(rules.map((r) => [r.id, r.name])),
    releases,
  );
  const levelChecks = ruleLevelChecks(checks, ruleById);
  const focusRule = incidents.find((i) => i.id === focusId)?.ruleId;
  const charts = chartsOf({
    rows: rows.get(dep.id) ?? [],
    range,
    now,
    markers: await linkedMarkers(c.env.DB, dep, releaseMarkers(releases)),
    incidents: views,
    focusCheck: levelChecks.find((k) => k.ruleId === focusRule) ?? null,
    baseline: baselineBucket,
    ruleChecks: levelChecks,
  });
  const focused = views.find((i) => i.focus);
  const focusChart = focused ? (charts.find((ch) => ch.id === focused.chartId) ?? null) : null;
  const markers = releaseMarkers(releases);
  return page(
    c,
    <DeploymentPage
      viewer={viewerOf(s)}
      v={{
        environment: dep.environment,
        slug: dep.slug,
        state: deploymentState({
          incidents: incidents.filter((i) => i.resolvedAt === null),
          lastSeen: dep.lastSeen,
          now,
        }),
        range,
        now,
        focusId: focused?.id,
        charts: focusChart ? charts.filter((ch) => ch !== focusChart) : charts,
        focusChart,
        incidents: views,
        checks: checks.map((k) => ({
          rule: {
            id: k.ruleId,
            name: ruleById.get(k.ruleId)?.name ?? k.ruleId,
            test: ruleById.get(k.ruleId)?.test ?? "–",
          },
          outcome: k.outcome,
          statistic: k.statistic,
          threshold: k.threshold,
          message: k.message,
          minute: k.minute,
        })),
        baseline,
        readiness,
        releases: markers.map((m) => ({ label: m.label, at: m.t })),
      }}
    />,
  );
}

/** Copies the cookies set on the context (session open/close) onto a redirect. */
function withCookies(c: Ctx, res: Response): Response {
  for (const cookie of c.res.headers.getSetCookie()) res.headers.append("set-cookie", cookie);
  return res;
}

export const dashboard = new Hono<AppEnv>()
  .get("/", async (c) => {
    const s = await readSession(c);
    if (s) return overview(c, s);
    // ?next= (a deployment page, e.g. from an alert link) is where sign-in leads.
    const next = c.req.query("next");
    return page(c, <SignInPage next={next ? safeBack(next) : undefined} />);
  })
  .get("/d/:env/:slug", (c) =>
    withSession(c, (s) => deploymentPage(c, s, c.req.param("env"), c.req.param("slug"))),
  )
  .get("/d/:env/:slug/releases", (c) =>
    withSession(c, (s) =>
      releaseComparePage(c, s.projectId, viewerOf(s), c.req.param("env"), c.req.param("slug")),
    ),
  )
  .get("/d/:env/:slug/breakdown", (c) =>
    withSession(c, (s) =>
      breakdownPage(c, s.projectId, viewerOf(s), c.req.param("env"), c.req.param("slug")),
    ),
  )
  .get("/probes", (c) =>
    withSession(c, async (s) => page(c, await probesNode(c.env.DB, s.projectId, viewerOf(s)))),
  )
  .get("/spend", (c) =>
    withSession(c, async (s) =>
      page(
        c,
        <SpendPage viewer={viewerOf(s)} view={await spendView(c.env, s.projectId, Date.now())} />,
      ),
    ),
  )
  .get("/probes/:id", (c) =>
    withSession(c, async (s) => {
      const { node, status } = await probeNode(
        c.env.DB,
        s.projectId,
        viewerOf(s),
        c.req.param("id"),
        c.req.query("cursor"),
      );
      return page(c, node, status);
    }),
  )
  .post("/sign-in", async (c) => {
    const form = await formOf(c);
    if (!form) return forbidden(c, CROSS_SITE);
    const next = safeBack(form.next);
    const key = (form.key ?? "").trim();
    if (!key) return refused(c, 401, "Unknown or revoked API key.", next);
    let auth: AuthContext;
    try {
      // The API's check: unknown keys count against the address's failure limit, expired
      // keys are refused saying so.
      auth = await projectKeyOf(c, key);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const status = error.status === 429 ? 429 : 401;
      return refused(c, status, error.message, next, error.headers);
    }
    if (!auth.projectId || !auth.keyId) return refused(c, 401, "Unknown or revoked API key.", next);
    if (!canView(auth.scopes)) {
      const why = "This key can only send events: sign in with a read or admin key.";
      return refused(c, 403, why, next);
    }
    const signed = {
      projectId: auth.projectId,
      keyId: auth.keyId,
      ...(auth.keyName === undefined ? {} : { keyName: auth.keyName }),
      scopes: auth.scopes,
    };
    actAs(c, signed);
    await openSession(c, { ...signed, expiresAt: auth.expiresAt });
    return withCookies(c, seeOther(next));
  })
  .post("/sign-out", async (c) => {
    const form = await formOf(c);
    if (!form) return forbidden(c, CROSS_SITE);
    const s = await readSession(c);
    if (s && !csrfValid(s, form.csrf)) return forbidden(c, EXPIRED);
    if (s) actAs(c, s);
    await closeSession(c, s);
    return withCookies(c, seeOther("/dashboard"));
  })
  .route("/d/:env/:slug/baselines", baselineRoutes)
  .route("/incidents", incidentRoutes)
  .route("/settings/channels", channelRoutes)
  .route("/settings/keys", keyRoutes)
  .route("/settings/probes", probeSettingsRoutes)
  .route("/settings/rules", ruleRoutes)
  .route("/settings/status-page", statusPageRoutes);
