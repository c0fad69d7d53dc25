// The local cron: fires the Worker's every-minute trigger through wrangler's /__scheduled,
// a few seconds after each minute starts (so the minute's last events are counted), with
// scheduledTime set to the minute, as the platform's cron does.
const MINUTE_MS = 60_000;
const CRON = "* * * * *";

/** Starts ticking; `onTick(minute, ok, tookMs)` after each tick. Returns {stop()}. */
export function startTicker(base, { offsetMs = 5_000, onTick = () => {} } = {}) {
  let timer;
  const fire = async (minute) => {
    const started = Date.now();
    const url = `${base}/__scheduled?cron=${encodeURIComponent(CRON)}&time=${minute}`;
    let ok = false;
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      ok = res.ok;
    } catch {
      // The server is restarting or stopping; the next minute tries again.
    }
    onTick(minute, ok, Date.now() - started);
  };
  let last = Number.NEGATIVE_INFINITY;
  const schedule = () => {
    const now = Date.now();
    // NOTE: timers run on a monotonic clock and may wake a hair before Date.now() reaches
    // the target, so never schedule the minute just fired again.
    const next = Math.floor((now - offsetMs) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const minute = Math.max(next, last + MINUTE_MS);
    timer = setTimeout(
      () => {
        last = minute;
        void fire(minute);
        schedule();
      },
      Math.max(0, minute + offsetMs - now),
    );
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}
