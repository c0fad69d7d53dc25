// Scheduled maintenance on the public page: one card per window not yet over, ahead of time
// ("Scheduled") and while it runs ("In progress"), with its times, components and text.
import { formatClock, isoSecond } from "./format";
import { useLabels } from "./i18n/context";
import { ENGLISH, type Labels } from "./i18n/labels";
import type { StatusMaintenance } from "./maintenance-model";

/** "7 Dec, 02:00 – 04:00 UTC", or both dates when the window spans days. */
export function windowTimes(w: { startsAt: number; endsAt: number }, t: Labels = ENGLISH): string {
  const sameDay = t.day(w.startsAt) === t.day(w.endsAt);
  const end = sameDay ? `${formatClock(w.endsAt)} UTC` : t.when(w.endsAt);
  return `${t.day(w.startsAt)}${t.lang === "ja" ? " " : ", "}${formatClock(w.startsAt)} – ${end}`;
}

export function Maintenances({ windows }: { windows: readonly StatusMaintenance[] }) {
  const t = useLabels();
  if (windows.length === 0) return null;
  return (
    <section aria-labelledby="maintenance">
      <h2 id="maintenance">{t.maintenance}</h2>
      <div class="stack">
        {windows.map((w) => (
          <article class="card mw" id={`m-${w.id}`} data-phase={w.phase}>
            <div class="row">
              <h3>{w.title}</h3>
              <span class={w.phase === "in_progress" ? "pill mnt" : "pill"}>
                {w.phase === "in_progress" ? t.inProgress : t.scheduled}
              </span>
            </div>
            <p class="muted small">
              <time datetime={isoSecond(w.startsAt)}>{windowTimes(w, t)}</time> ·{" "}
              {w.components.map((c) => c.name).join(", ")}
            </p>
            <p class="mt">{w.text}</p>
          </article>
        ))}
      </div>
    </section>
  );
}
