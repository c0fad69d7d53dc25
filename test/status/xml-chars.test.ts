// Client-set strings may hold characters XML 1.0 cannot carry: every feed, badge and page
// must still parse. saxes is a strict XML 1.0 parser (it rejects such characters).
import fc from "fast-check";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { xmlSafe } from "../../src/status/xml-chars";
import { call, createProject } from "../helpers";
import { seedDeployment, seedHours, seedIncident, seedRelease } from "./seed";

/** The first well-formedness error a strict XML parser finds, or null. */
function xmlError(xml: string): string | null {
  const parser = new SaxesParser({ xmlns: true });
  let error: string | null = null;
  parser.on("error", (e) => {
    error ??= e.message;
  });
  parser.write(xml).close();
  return error;
}

const NOW = Date.now();
const HOUR = 3_600_000;

describe("xmlSafe", () => {
  it("removes C0 controls but keeps tab, line feed and carriage return", () => {
    expect(xmlSafe("a\u0001b\u0000c\u001fd\te\nf\rg")).toBe("abcd\te\nf\rg");
  });

  it("removes DEL, C1 controls, lone surrogates and U+FFFE/U+FFFF, keeps pairs", () => {
    expect(xmlSafe("a\u007fb\u0085c\ud800d\udc00e\uffff😀")).toBe("abcde😀");
  });

  it("makes any text a well-formed XML element's content", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
        const escaped = xmlSafe(text)
          .replaceAll("&", "&amp;")
          .replaceAll("<", "&lt;")
          .replaceAll(">", "&gt;");
        expect(xmlError(`<t>${escaped}</t>`)).toBeNull();
      }),
    );
  });
});

describe("control characters in client-set strings", () => {
  it("leave the Atom feed, the badge and the page well-formed", async () => {
    const p = await createProject("xml");
    const slug = `ctl-${NOW.toString(36)}`;
    const bot = `bot-${NOW.toString(36)}`;
    const botId = await seedDeployment(p.id, bot, NOW);
    await seedHours(botId, NOW, 2);
    await seedRelease(botId, "v1\u0001", NOW - 20 * 24 * HOUR);
    await seedRelease(botId, "v2\u0002\u000b", NOW - 2 * HOUR);
    await seedIncident({
      id: `inc-${NOW.toString(36)}`,
      projectId: p.id,
      deploymentId: botId,
      severity: "critical",
      metric: "error_rate",
      status: "firing",
      firingAt: NOW - HOUR,
    });
    const res = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: {
        status_page: {
          slug,
          title: "Acme\u0001 status",
          deployments: [{ slug: bot, name: "Bot\u0007\u001b" }],
        },
      },
    });
    expect(res.status).toBe(200);
    const feed = await (await call(`/status/${slug}/feed.atom`)).text();
    expect(xmlError(feed)).toBeNull();
    expect(feed).toContain("<title>Acme status status</title>");
    expect(feed.match(/<entry>/g)).toHaveLength(1);
    const badge = await (await call(`/status/${slug}/badge.svg`)).text();
    expect(xmlError(badge)).toBeNull();
    const page = await (await call(`/status/${slug}`)).text();
    expect(page).toContain("Acme status");
    expect([...page].filter((ch) => ch < " " && !"\t\n\r".includes(ch))).toEqual([]);
  });
});
