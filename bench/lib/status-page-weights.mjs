// The status page's weight in each language it speaks (src/status/i18n/language.ts), for
// bench/status-page.mjs: uncompressed and gzip bytes, against the page's budget.
import { gzipSync } from "node:zlib";
// Node 22 strips the types of this plain TypeScript module itself.
import { LANGUAGES } from "../../src/status/i18n/language.ts";

/** Fetches `url` once per language; returns the rows and a Markdown table of them. */
export async function pageWeights(url, budget) {
  const rows = [];
  for (const lang of LANGUAGES) {
    const res = await fetch(url, { headers: { "accept-language": lang } });
    const html = await res.text();
    if (!res.ok || res.headers.get("content-language") !== lang) {
      throw new Error(`${url} in ${lang}: ${res.status} ${res.headers.get("content-language")}`);
    }
    rows.push({ lang, bytes: Buffer.byteLength(html), gzip: gzipSync(html).length });
  }
  const n = (x) => x.toLocaleString("en");
  const table = [
    `| language | HTML (bytes) | KB | gzip (bytes) | target ≤ ${budget / 1024} KB |`,
    "|---|---:|---:|---:|---|",
    ...rows.map(
      (r) =>
        `| ${r.lang} | ${n(r.bytes)} | ${(r.bytes / 1024).toFixed(1)} KB | ${n(r.gzip)} | ${r.bytes <= budget ? "within" : "OVER"} |`,
    ),
  ].join("\n");
  return { rows, table };
}
