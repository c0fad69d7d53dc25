// The release comparison page (/dashboard/d/:env/:slug/releases): two releases of a
// deployment side by side — per-minute rates of both arms for every signal (from the arm
// store, last 2 h), the verdict's table of signals (incumbent, candidate, Δ with its
// interval, decision), the deployment's verdict history, and a GET form to pick any two
// releases. Server-rendered, no script.
import type { Context } from "hono";
import type { VerdictRow } from "../../alerts/verdicts/verdict-row";
import { deploymentNamed } from "../../db/deployment-named";
import type { ComboJson } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { releaseKey } from "../../window/aggregate";
import { formatClock, formatPct, formatWhen } from "../format";
import { HTML, PRIVATE_CACHE, renderPage, send } from "../http";
import { LineChart } from "./line-chart";
import {
  type ArmOption,
  type ArmSeries,
  armSeries,
  armWindows,
  comboLabel,
  deploymentVerdicts,
  signalsOf,
} from "./release-compare-data";
import { MessagePage, Shell, type Viewer } from "./shell";

type Ctx = Context<AppEnv>;

const keyOf = (c: ComboJson) => releaseKey({ ...c, promptVersion: c.prompt_version });

const pct = (v: number | null) => formatPct(v, 2);
const signedPct = (v: number | null) =>
  v === null ? "–" : `${v > 0 ? "+" : v < 0 ? "−" : ""}${pct(Math.abs(v))}`;

function SignalTable({ v }: { v: VerdictRow }) {
  return (
    <table class="card" data-verdict-signals={v.id}>
      <thead>
        <tr>
          <th>Signal</th>
          <th>Incumbent</th>
          <th>Candidate</th>
          <th>Δ (interval)</th>
          <th>Margin</th>
          <th>Decision</th>
          <th>n (incumbent / candidate)</th>
        </tr>
      </thead>
      <tbody>
        {signalsOf(v).map((s) => (
          <tr data-signal={s.metric} data-decision={s.decision}>
            <td>{s.metric}</td>
            <td>{pct(s.incumbent)}</td>
            <td>{pct(s.candidate)}</td>
            <td>
              {signedPct(s.difference)}
              {s.ci ? ` (${signedPct(s.ci[0] ?? null)} to ${signedPct(s.ci[1] ?? null)})` : ""}
            </td>
            <td>{pct(s.margin)}</td>
            <td>{s.decision.replace("_", " ")}</td>
            <td>
              {s.nIncumbent} / {s.nCandidate}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Picker(props: { options: ArmOption[]; a: string; b: string; action: string }) {
  const select = (name: string, chosen: string, label: string) => (
    <label>
      {label}{" "}
      <select name={name}>
        {props.options.map((o) => (
          <option value={o.key} selected={o.key === chosen}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form method="get" action={props.action} class="card row" aria-label="Pick two releases">
      {select("a", props.a, "Incumbent")}
      {select("b", props.b, "Candidate")}
      <button type="submit">Compare</button>
    </form>
  );
}

function Charts({ series, labels }: { series: ArmSeries[]; labels: [string, string] }) {
  if (series.length === 0) {
    return <p class="muted">Neither release served in the last 2 hours (arms are kept 2 h).</p>;
  }
  const ts = series.flatMap((s) => [...s.incumbent, ...s.candidate].map((p) => p.t));
  const from = Math.min(...ts);
  const to = Math.max(...ts) + 60_000;
  return (
    <div class="charts">
      {series.map((s) => (
        <LineChart
          id={`arm-${s.signal.replace(/[^a-z0-9]+/gi, "-")}`}
          title={s.signal}
          lines={[
            { label: labels[0], points: s.incumbent },
            { label: labels[1], points: s.candidate },
          ]}
          from={from}
          to={to}
          format={(x) => formatPct(x, 1)}
          formatTime={formatClock}
          markers={[]}
          bands={[]}
          yFloor={0.01}
          yCap={1}
        />
      ))}
    </div>
  );
}

function History({ rows, here }: { rows: VerdictRow[]; here: string }) {
  if (rows.length === 0) return <p class="muted">No release analysed yet.</p>;
  return (
    <table class="card" aria-label="Verdict history">
      <thead>
        <tr>
          <th>Candidate</th>
          <th>Incumbent</th>
          <th>State</th>
          <th>Started</th>
          <th>Decided</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((v) => (
          <tr data-verdict={v.id} data-state={v.state}>
            <td>
              <a href={`${here}?verdict=${encodeURIComponent(v.id)}`}>{comboLabel(v.candidate)}</a>
            </td>
            <td>{v.incumbent ? comboLabel(v.incumbent) : "–"}</td>
            <td>{v.state}</td>
            <td>{formatWhen(v.startedAt)}</td>
            <td>{v.decidedAt === null ? "–" : formatWhen(v.decidedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The comparison page; `?verdict=` opens a verdict, `?a=&b=` any two releases by key. */
export async function releaseComparePage(
  c: Ctx,
  projectId: string,
  viewer: Viewer,
  env: string,
  slug: string,
) {
  const dep = await deploymentNamed(c.env.DB, projectId, env, slug);
  const here = `/dashboard/d/${encodeURIComponent(env)}/${encodeURIComponent(slug)}/releases`;
  if (!dep) {
    const message = `No deployment '${slug}' in environment '${env}' in this project.`;
    const node = <MessagePage title="Deployment not found" message={message} viewer={viewer} />;
    return send(c, await renderPage(node), {
      status: 404,
      contentType: HTML,
      cache: PRIVATE_CACHE,
    });
  }
  const now = Date.now();
  const [rows, windows] = await Promise.all([
    deploymentVerdicts(c.env.DB, dep.id),
    armWindows(c.env, dep.id, now),
  ]);
  const verdicts = rows;
  const options = new Map<string, string>();
  for (const w of windows) options.set(w.arm.key, comboLabel(w.arm));
  for (const v of verdicts) {
    options.set(keyOf(v.candidate), comboLabel(v.candidate));
    if (v.incumbent) options.set(keyOf(v.incumbent), comboLabel(v.incumbent));
  }
  const wanted = c.req.query("verdict");
  const a = c.req.query("a");
  const b = c.req.query("b");
  const picked = a !== undefined && b !== undefined;
  const verdict = picked
    ? verdicts.find((v) => v.incumbent && keyOf(v.incumbent) === a && keyOf(v.candidate) === b)
    : (verdicts.find((v) => v.id === wanted) ?? (wanted === undefined ? verdicts[0] : undefined));
  const incKey = picked ? a : verdict?.incumbent ? keyOf(verdict.incumbent) : "";
  const candKey = picked ? b : verdict ? keyOf(verdict.candidate) : "";
  const byKey = new Map(windows.map((w) => [w.arm.key, w]));
  const series = armSeries(byKey.get(incKey), byKey.get(candKey));
  const labels: [string, string] = [
    options.get(incKey) ?? "incumbent",
    options.get(candKey) ?? "candidate",
  ];
  const node = (
    <Shell title={`Releases · ${dep.slug}`} viewer={viewer}>
      <p>
        <a href={`/dashboard/d/${encodeURIComponent(env)}/${encodeURIComponent(slug)}`}>
          ← {dep.slug} ({dep.environment})
        </a>
      </p>
      <h1>Release comparison</h1>
      <Picker
        options={[...options].map(([key, label]) => ({ key, label }))}
        a={incKey}
        b={candKey}
        action={here}
      />
      {verdict ? (
        <section aria-label="Verdict" data-verdict-state={verdict.state}>
          <h2>
            {comboLabel(verdict.candidate)} vs{" "}
            {verdict.incumbent ? comboLabel(verdict.incumbent) : "–"}: {verdict.state}
          </h2>
          <p class="muted">
            {verdict.reason ?? ""} Started {formatWhen(verdict.startedAt)}
            {verdict.decidedAt === null ? "" : `, decided ${formatWhen(verdict.decidedAt)}`}
            {verdict.share === null ? "" : `, candidate share ${formatPct(verdict.share, 1)}`}.
          </p>
          <SignalTable v={verdict} />
        </section>
      ) : (
        <p class="muted">
          {wanted !== undefined && !picked
            ? "No such verdict for this deployment."
            : "No verdict compares these two releases; the charts show their minutes."}
        </p>
      )}
      <h2>Both arms, minute by minute</h2>
      <Charts series={series} labels={labels} />
      <h2>Verdict history</h2>
      <History rows={verdicts} here={here} />
    </Shell>
  );
  return send(c, await renderPage(node), { contentType: HTML, cache: PRIVATE_CACHE });
}
