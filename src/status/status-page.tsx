// The public status page: banner, one card per deployment (state, 90 daily bars, 24-hour
// latency and satisfaction), then the incidents of the last 14 days with their timeline.
import type { Child } from "hono/jsx";
import { DailyBars } from "./bars";
import { groupComponents } from "./component-groups";
import { cleanDayShare } from "./daily-bars";
import { formatClock, formatMs, formatPct, isoSecond } from "./format";
import { LabelsContext, useLabels } from "./i18n/context";
import type { Labels } from "./i18n/labels";
import { labelsFor } from "./i18n/labels";
import type { Lang } from "./i18n/language";
import { Document } from "./layout";
import { Maintenances } from "./maintenance-view";
import type { StatusComponent, StatusIncident, StatusModel } from "./page-model";
import type { StatusProbeComponent } from "./probe-components";
import { Sparkline } from "./sparkline";
import { UpdateText, WrittenUpdates } from "./written-updates";

/** "99.95 %": two decimals, never rounded up to 100 % while any minute had an incident. */
const formatUptime = (share: number) =>
  share === 1 ? "100 %" : `${(Math.floor(share * 10_000) / 100).toFixed(2)} %`;

function Component({ c }: { c: StatusComponent }) {
  const t = useLabels();
  const clean = cleanDayShare(c.bars);
  return (
    <li class="card">
      <div class="row">
        <h3>{c.name}</h3>
        {c.maintenance ? (
          <span class="state mnt">{t.underMaintenance}</span>
        ) : (
          <span class={`state ${c.state}`}>{t.state[c.state]}</span>
        )}
      </div>
      <DailyBars bars={c.bars} />
      <p>
        {clean === null
          ? t.noDataYet
          : t.clean(c.uptime === null ? null : formatUptime(c.uptime), formatPct(clean, 1))}
      </p>
      {c.current.requests === 0 ? (
        <p class="nodata">{t.noTraffic}</p>
      ) : (
        <div class="sparks">
          <figure>
            <figcaption>
              {t.latency} <b>{formatMs(c.current.latencyP95)}</b>
            </figcaption>
            <Sparkline points={c.latencyP95} />
          </figure>
          <figure>
            <figcaption>
              {t.satisfaction} <b>{formatPct(c.current.satisfaction)}</b>
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
  const t = useLabels();
  return (
    <li class="card">
      <div class="row">
        <h3>{c.name}</h3>
        <span class={`state ${c.state}`}>{t.state[c.state]}</span>
      </div>
      <DailyBars bars={c.bars} />
      <p>{c.correct === null ? t.noRuns : t.runsCorrect(formatPct(c.correct, 1), c.runs)}</p>
    </li>
  );
}

/** The incident's events in time order: the release change, detection, ack, written updates, resolution. */
function timelineOf(i: StatusIncident, t: Labels): { at: number; text: Child; id?: string }[] {
  const events = [
    ...i.updates.map((u) => ({ at: u.at, text: <UpdateText u={u} />, id: `u-${u.id}` })),
    ...(i.release
      ? [{ at: i.release.at, text: `${t.changeShipped}: ${t.change(i.release)}` }]
      : []),
    { at: i.openedAt, text: t.detected },
    ...(i.ackedAt ? [{ at: i.ackedAt, text: t.acknowledged }] : []),
    ...(i.resolvedAt ? [{ at: i.resolvedAt, text: t.resolved }] : []),
  ];
  return events.sort((a, b) => a.at - b.at);
}

/** Every signal's title in the page's language, worst first (as written in English). */
function signalsIn(i: StatusIncident, t: Labels): string[] {
  if (t.lang === "en") return i.signals;
  return [...new Set(i.metrics.map((m) => t.incidentTitle(m, "")))];
}

function Incident({ i }: { i: StatusIncident }) {
  const t = useLabels();
  const signals = signalsIn(i, t);
  return (
    <article class="card" id={`i-${i.id}`} data-impact={i.impact}>
      <div class="row">
        <h3>{t.incidentTitle(i.metric, i.title)}</h3>
        <span class={i.open ? `pill ${i.impact === "major_outage" ? "open" : "warn"}` : "pill"}>
          {i.open ? t.state[i.impact] : t.resolved}
        </span>
      </div>
      <p class="muted small" style="margin:2px 0 0">
        {i.componentName}
        {i.release ? t.after(t.change(i.release)) : ""}
        {i.inMaintenance ? t.duringMaintenance : ""}
      </p>
      {signals.length > 1 ? (
        <p class="small" style="margin:4px 0 0" data-signals={signals.length}>
          {t.signals}: {signals.join(" · ")}
        </p>
      ) : null}
      <ol class="timeline">
        {timelineOf(i, t).map((e) => (
          <li id={e.id}>
            <time datetime={isoSecond(e.at)}>{t.when(e.at)}</time>
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
  const t = useLabels();
  const days = new Map<string, StatusIncident[]>();
  for (const i of incidents) {
    const day = t.day(i.openedAt);
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
                <b>{t.incidentTitle(i.metric, i.title)}</b>
                {signalsIn(i, t).length > 1 ? t.moreSignals(signalsIn(i, t).length - 1) : ""} ·{" "}
                {i.componentName} · {formatClock(i.openedAt)}–
                {formatClock(i.resolvedAt ?? i.openedAt)}
                {i.release ? t.after(t.change(i.release)) : ""}
                {i.inMaintenance ? t.duringMaintenance : ""}
                {i.updates.length > 0 ? <WrittenUpdates updates={i.updates} /> : null}
              </li>
            ))}
          </ul>
        </>
      ))}
    </div>
  );
}

/**
 * `url`: the page's public address (PUBLIC_URL's origin), its canonical URL for search engines;
 * `lang`: the reader's language (src/status/i18n/), English by default.
 */
export function StatusPage({ m, url, lang = "en" }: { m: StatusModel; url?: string; lang?: Lang }) {
  const t = labelsFor(lang);
  // Relative to /status/: the footer's links cost 8 bytes less each (the page's weight budget).
  const base = m.slug;
  const open = m.incidents.filter((i) => i.open);
  const resolved = m.incidents.filter((i) => !i.open);
  return (
    <Document
      title={t.title(m.title)}
      lang={lang}
      head={url ? <link rel="canonical" href={url} /> : null}
    >
      <LabelsContext.Provider value={t}>
        <header class="wrap top">
          <h1>{m.title}</h1>
          {m.description ? (
            <p class="muted" style="margin:.4rem 0 0">
              {m.description}
            </p>
          ) : null}
        </header>
        <main class="wrap">
          <section
            class={`card banner ${m.state}`}
            aria-label="Overall status"
            data-state={m.state}
          >
            {/* The dot inside the words: a long banner wraps as text, the dot never alone on a line. */}
            <strong>
              <i class="dot" />
              {t.banner[m.state]}
            </strong>
            <span class="muted small">
              {t.updated} {t.when(m.now)}
            </span>
          </section>
          <Maintenances windows={m.maintenances} />
          <section aria-labelledby="services">
            <div class="row">
              <h2 id="services">{t.services}</h2>
              <span class="muted small">{t.last90}</span>
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
            <h2 id="incidents">{t.incidents}</h2>
            {m.incidents.length === 0 ? <p class="card muted">{t.noIncidents}</p> : null}
            <div class="stack">
              {open.map((i) => (
                <Incident i={i} />
              ))}
              {resolved.length > 0 ? <Resolved incidents={resolved} /> : null}
            </div>
          </section>
        </main>
        <footer class="wrap">
          <a href={`${base}/subscribe`}>{t.subscribe}</a> ·{" "}
          <a href={`${base}/feed.atom`}>{t.feed}</a> ·{" "}
          <a href={`${base}/summary.json`}>summary.json</a> ·{" "}
          <a href={`${base}/badge.svg`}>{t.badge}</a> · {t.timesUtc} · {t.monitoredBy}
        </footer>
      </LabelsContext.Provider>
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
