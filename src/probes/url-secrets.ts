// Secrets a probe URL can carry: a user and password (`https://user:pass@host/`) and query
// values (`?key=…`, `?sig=…`). Like headers, a query value is taken for a secret unless its
// name is known to be harmless. The URL is stored whole (it is what the probe requests);
// every answer, audit entry and dashboard page shows it masked, and run texts (errors,
// answer excerpts) have its secret values redacted. Pure.

/** Query parameters that never carry a credential (Azure OpenAI's `api-version`). */
export const HARMLESS_QUERY_PARAMS: ReadonlySet<string> = new Set(["api-version"]);

const MASK = "****";

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
};

/**
 * The URL as shown: user and password masked, every query value but harmless ones masked.
 * A URL with nothing to mask is answered exactly as it was given.
 */
export function maskUrl(url: string): string {
  const u = parse(url);
  if (!u) return MASK;
  if (urlSecrets(url).length === 0) return url;
  if (u.username) u.username = MASK;
  if (u.password) u.password = MASK;
  if (u.search) {
    const masked = new URLSearchParams();
    for (const [k, v] of u.searchParams)
      masked.append(k, HARMLESS_QUERY_PARAMS.has(k.toLowerCase()) || v === "" ? v : MASK);
    u.search = masked.toString();
  }
  return u.toString();
}

/** The URL's secret values, as written and decoded, for redaction from texts. */
export function urlSecrets(url: string): string[] {
  const u = parse(url);
  if (!u) return [];
  const raw = [u.username, u.password];
  for (const pair of u.search.slice(1).split("&")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = decode(pair.slice(0, eq));
    if (!HARMLESS_QUERY_PARAMS.has(name.toLowerCase())) raw.push(pair.slice(eq + 1));
  }
  const values = raw.flatMap((v) => [v, decode(v)]).filter((v) => v !== "");
  return [...new Set(values)];
}

/** scheme://host:port: the secret headers go only where the probe's origin is. */
export function originOf(url: string): string | null {
  return parse(url)?.origin ?? null;
}
