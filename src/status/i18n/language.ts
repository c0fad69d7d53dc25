// The language a public status page is rendered in, from the reader's Accept-Language (pure):
// the first of en, de, fr, es and ja by the reader's preference (q-values), English otherwise.

export const LANGUAGES = ["en", "de", "fr", "es", "ja"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** At most this many ranges are read: a header is the client's to make long. */
const MAX_RANGES = 20;

export function pickLanguage(header: string | null | undefined): Lang {
  if (!header) return "en";
  const ranges = header
    .slice(0, 1000)
    .split(",")
    .slice(0, MAX_RANGES)
    .map((part, order) => {
      const [range = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return {
        primary: range.trim().split("-")[0] ?? "",
        q: q === undefined ? 1 : Number(q),
        order,
      };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranges) {
    const lang = LANGUAGES.find((l) => l === r.primary);
    if (lang) return lang;
  }
  return "en";
}
