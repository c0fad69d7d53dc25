// The public status page: banner, one card per deployment (state, 90 daily bars, 24-hour
// latency and satisfaction), then the incidents of the last 14 days with their timeline.
import type { Child } from "hono/jsx";
import { BarPatterns, DailyBars } from "./bars";
import { groupComponents } from "./component-groups";
import { cleanDayShare } from "./daily-bars";
import { formatClock, formatDay, formatMs, formatPct, formatWhen, isoSecond } from "./format";
import { Document } from "./layout";
import { Maintenances } from "./maintenance-view";
import type { StatusComponent, StatusIncident, StatusModel } from "./page-model";
import type { StatusProbeComponent } from "./probe-components";
import { Sparkline } from "./sparkline";
import { type ComponentState, STATE_LABELS } from "./state";
import { UpdateText, WrittenUpdates } from "./written-updates";

const BANNER: Record<ComponentState, string> = {
  operational: "All systems operational",
  degraded: "Some answers are degraded",
  major_outage: "Major outage",
  no_data: "No recent data",
};

/** "99.95 %": two decimals, never rounded up to 100 % while any minute had an incident. */
const formatUptime = (share: number) =>
  share === 1 ? "100 %" : `${(Math.floor(share * 10_000) / 100).toFixed(2)} %`;

/** After an incident that opened during maintenance: it was expected, and not alerted on. */
const MAINTENANCE_NOTE = " · during maintenance";

function Component({ c }: { c: StatusComponent }) {
  const clean = cleanDayShare(c.bars);
  return (
    <li class="card">
      <div class="row">
        <h3>{c.name}</h3>
        {c.maintenance ? (
          <span class="state mnt">Under maintenance</span>
        ) : (
          <span class={`state ${c.state}`}>{STATE_LABELS[c.state]}</span>
        )}
      </div>
      <DailyBars bars={c.bars} />
      <p>
        {clean === null
          ? "No data yet"
          : `${c.uptime === null ? "" : `${formatUptime(c.uptime)} of minutes and `}${formatPct(clean, 1)} of days without incident`}
      </p>
      {c.current.requests === 0 ? (
        <p class="nodata">No traffic in the last 24 hours.</p>
      ) : (
        <div class="sparks">
          <figure>
            <figcaption>
              Latency p95, 24 h <b>{formatMs(c.current.latencyP95)}</b>
            </figcaption>
            <Sparkline points={c.latencyP95} />
          </figure>
          <figure>
            <figcaption>
              Satisfaction (thumbs up), 24 h <b>{formatPct(c.current.satisfaction)}</b>
            </figcaption>
            <Sparkline points={c.satisfaction} yMax={1} />
          </figure>
        </div>
      )}
    </li>
  );
}

/** A probe as a component: its answers' daily bars and share correct, nothing more (bytes). */
function ProbeComponent({ c }: { c: StatusProbeComponent }) {
  return (
    <li class="card">
      <div class="row">
        <h3>{c.name}</h3>
        <span class={`state ${c.state}`}>{STATE_LABELS[c.state]}</span>
      </div>
      <DailyBars bars={c.bars} />
      <p>
        {c.correct === null
          ? "No runs yet"
          : `${formatPct(c.correct, 1)} of ${c.runs} runs correct`}
      </p>
    </li>
  );
}

/** The incident's events in time order: the release change, detection, ack, written updates, resolution. */
function timelineOf(i: StatusIncident): { at: number; text: Child; id?: string }[] {
  const events = [
    ...i.updates.map((u) => ({ at: u.at, text: <UpdateText u={u} />, id: `u-${u.id}` })),
    ...(i.release ? [{ at: i.release.at, text: `Change shipped: ${i.release.summary}` }] : []),
    { at: i.openedAt, text: "Detected" },
    ...(i.ackedAt ? [{ at: i.ackedAt, text: "Acknowledged, investigating" }] : []),
    ...(i.resolvedAt ? [{ at: i.resolvedAt, text: "Resolved" }] : []),
  ];
  return events.sort((a, b) => a.at - b.at);
}

function Incident({ i }: { i: StatusIncident }) {
  return (
    <article class="card" id={`i-${i.id}`} data-impact={i.impact}>
      <div class="row">
        <h3>{i.title}</h3>
        <span class={i.open ? `pill ${i.impact === "major_outage" ? "open" : "warn"}` : "pill"}>
          {i.open ? STATE_LABELS[i.impact] : "Resolved"}
        </span>
      </div>
      <p class="muted small" style="margin:2px 0 0">
        {i.componentName}
        {i.release ? ` · after ${i.release.summary}` : ""}
        {i.inMaintenance ? MAINTENANCE_NOTE : ""}
      </p>
      {i.signals.length > 1 ? (
        <p class="small" style="margin:4px 0 0" data-signals={i.signals.length}>
          Signals: {i.signals.join(" · ")}
        </p>
      ) : null}
      <ol class="timeline">
        {timelineOf(i).map((e) => (
          <li id={e.id}>
            <time datetime={isoSecond(e.at)}>{formatWhen(e.at)}</time>
            {e.text}
          </li>
        ))}
      </ol>
    </article>
  );
}

/**
 * Resolved incidents, one line each under their day: a fortnight of them stays readable
 * (and within the page's weight budget); open incidents get the full card above.
 */
function Resolved({ incidents }: { incidents: readonly StatusIncident[] }) {
  const days = new Map<string, StatusIncident[]>();
  for (const i of incidents) {
    const day = formatDay(i.openedAt);
    days.set(day, [...(days.get(day) ?? []), i]);
  }
  return (
    <div class="card past">
      {[...days].map(([day, list]) => (
        <>
          <h3>{day}</h3>
          <ul>
            {list.map((i) => (
              <li id={`i-${i.id}`}>
                <b>{i.title}</b>
                {i.signals.length > 1 ? ` (+${i.signals.length - 1} more signals)` : ""} ·{" "}
                {i.componentName} · {formatClock(i.openedAt)}–
                {formatClock(i.resolvedAt ?? i.openedAt)}
                {i.release ? ` · after ${i.release.summary}` : ""}
                {i.inMaintenance ? MAINTENANCE_NOTE : ""}
                {i.updates.length > 0 ? <WrittenUpdates updates={i.updates} /> : null}
              </li>
            ))}
          </ul>
        </>
      ))}
    </div>
  );
}

/** `url`: the page's public address (PUBLIC_URL's origin), its canonical URL for search engines. */
export function StatusPage({ m, url }: { m: StatusModel; url?: string }) {
  const base = `/status/${m.slug}`;
  const open = m.incidents.filter((i) => i.open);
  const resolved = m.incidents.filter((i) => !i.open);
  return (
    <Document title={`${m.title} status`} head={url ? <link rel="canonical" href={url} /> : null}>
      <BarPatterns />
      <header class="wrap top">
        <h1>{m.title}</h1>
        {m.description ? (
          <p class="muted" style="margin:.4rem 0 0">
            {m.description}
          </p>
        ) : null}
      </header>
      <main class="wrap">
        <section class={`card banner ${m.state}`} aria-label="Overall status" data-state={m.state}>
          <i class="dot" />
          <strong>{BANNER[m.state]}</strong>
          <span class="muted small">Updated {formatWhen(m.now)}</span>
        </section>
        <Maintenances windows={m.maintenances} />
        <section aria-labelledby="services">
          <div class="row">
            <h2 id="services">Services</h2>
            <span class="muted small">Last 90 days, today on the right</span>
          </div>
          <ul class="stack">
            {groupComponents([...m.components, ...m.probes]).map((row) => {
              const cards = row.items.map((c) =>
                "uptime" in c ? <Component c={c} /> : <ProbeComponent c={c} />,
              );
              return row.group === null ? (
                cards
              ) : (
                <li class="grp">
                  <h3>{row.group}</h3>
                  <ul class="stack">{cards}</ul>
                </li>
              );
            })}
          </ul>
        </section>
        <section aria-labelledby="incidents">
          <h2 id="incidents">Incidents, last 14 days</h2>
          {m.incidents.length === 0 ? (
            <p class="card muted">No incidents in the last 14 days.</p>
          ) : null}
          <div class="stack">
            {open.map((i) => (
              <Incident i={i} />
            ))}
            {resolved.length > 0 ? <Resolved incidents={resolved} /> : null}
          </div>
        </section>
      </main>
      <footer class="wrap">
        <a href={`${base}/subscribe`}>Subscribe</a> · <a href={`${base}/feed.atom`}>Atom feed</a> ·{" "}
        <a href={`${base}/summary.json`}>summary.json</a> · <a href={`${base}/badge.svg`}>Badge</a>{" "}
        · Times in UTC · Monitored by Driftwatch
      </footer>
    </Document>
  );
}

export function NotFoundPage() {
  return (
    <Document title="Status page not found">
      <main class="wrap" style="padding-top:18vh;text-align:center">
        <h1>Status page not found</h1>
        <p class="muted">
          There is no public status page at this address, or it has been turned off.
        </p>
      </main>
    </Document>
  );
}
