// A shields.io-style "flat" badge: a grey label and a coloured state, as SVG.
import { html } from "hono/html";
import type { ComponentState } from "./state";

const COLOURS: Record<ComponentState, string> = {
  operational: "#2da44e",
  degraded: "#d4a017",
  major_outage: "#d73a49",
  no_data: "#8b949e",
};

const MESSAGES: Record<ComponentState, string> = {
  operational: "operational",
  degraded: "degraded",
  major_outage: "major outage",
  no_data: "no data",
};

/** Approximate width of Verdana 11 px text: narrow letters count less. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[ilj.,:;'|!1 ]/.test(ch) ? 3.6 : /[mwMW@]/.test(ch) ? 9.5 : 6.7;
  return Math.ceil(w);
}

export async function badgeSvg(label: string, state: ComponentState): Promise<string> {
  const message = MESSAGES[state];
  const lw = textWidth(label) + 12;
  const mw = textWidth(message) + 12;
  const w = lw + mw;
  const svg =
    await html`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${label}: ${message}"><title>${label}: ${message}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${COLOURS[state]}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${lw / 2}" y="14">${label}</text><text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${message}</text><text x="${lw + mw / 2}" y="14">${message}</text></g></svg>`;
  return String(svg);
}
