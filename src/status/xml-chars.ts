// Characters XML 1.0 cannot carry (and HTML reads as parse errors), removed from every page,
// feed and badge before it is sent: client-set strings (releases, tags, names) may hold them,
// and one U+0001 in an Atom feed makes it malformed, so feed readers drop the whole feed.
// Pure. The rendered text has no such characters of its own, so whole bodies are cleaned.

/**
 * C0 controls but tab, LF and CR; DEL and the C1 controls (allowed by XML 1.0 but
 * "discouraged", and errors in HTML); lone surrogates; the non-characters U+FFFE and U+FFFF.
 */
const UNCARRIABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` without the characters XML 1.0 cannot carry (unchanged when it has none). */
export function xmlSafe(text: string): string {
  return text.replace(UNCARRIABLE, "");
}
