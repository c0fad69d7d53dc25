// Scheduled maintenance on the public page: one card per window not yet over, ahead of time
// ("Scheduled") and while it runs ("In progress"), with its times, components and text.
import { formatClock, formatDay, formatWhen, isoSecond } from "./format";
import type { StatusMaintenance } from "./maintenance-model";

/** "7 Dec, 02:00 – 04:00 UTC", or both dates when the window spans days. */
export function windowTimes(w: { startsAt: number; endsAt: number }): string {
  const sameDay = formatDay(w.startsAt) === formatDay(w.endsAt);
  const end = sameDay ? `${formatClock(w.endsAt)} UTC` : formatWhen(w.endsAt);
  return `${formatDay(w.startsAt)}, ${formatClock(w.startsAt)} – ${end}`;
}

export function Maintenances({ windows }: { windows: readonly StatusMaintenance[] }) {
  if (windows.length === 0) return null;
  return (
    <section aria-labelledby="maintenance">
      <h2 id="maintenance">Scheduled maintenance</h2>
      <div class="stack">
        {windows.map((w) => (
          <article class="card mw" id={`m-${w.id}`} data-phase={w.phase}>
            <div class="row">
              <h3>{w.title}</h3>
              <span class={w.phase === "in_progress" ? "pill mnt" : "pill"}>
                {w.phase === "in_progress" ? "In progress" : "Scheduled"}
              </span>
            </div>
            <p class="muted small">
              <time datetime={isoSecond(w.startsAt)}>{windowTimes(w)}</time> ·{" "}
              {w.components.map((c) => c.name).join(", ")}
            </p>
            <p class="mt">{w.text}</p>
          </article>
        ))}
      </div>
    </section>
  );
}
