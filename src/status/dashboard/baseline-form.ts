// The baseline capture form as the API's body (pure): a UTC date and time range typed as
// `YYYY-MM-DDTHH:MM` (datetime-local) to epoch ms, or the release fields as a release
// filter when any is filled. CaptureSchema then checks it, as it checks the API's POST.

export type FormFields = Record<string, string>;

const RELEASE_FIELDS = ["model", "provider", "prompt_version", "release"] as const;

/** Epoch ms of a `YYYY-MM-DDTHH:MM` read as UTC; undefined when empty, NaN when malformed. */
export function utcMinuteField(value: string | undefined): number | undefined {
  const text = (value ?? "").trim();
  if (text === "") return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? Date.parse(`${text}:00Z`) : Number.NaN;
}

/** The capture form as the body of POST /v1/deployments/:env/:slug/baselines. */
export function captureBody(form: FormFields): Record<string, unknown> {
  const release: Record<string, string> = {};
  for (const key of RELEASE_FIELDS) {
    const v = (form[key] ?? "").trim();
    if (v) release[key] = v;
  }
  const label = (form.label ?? "").trim();
  const from = utcMinuteField(form.from);
  const to = utcMinuteField(form.to);
  return {
    ...(Object.keys(release).length > 0 ? { release } : {}),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(label ? { label } : {}),
    activate: form.activate === "on",
  };
}
