// Browser test of status page subscriptions (issue 28 item 3), JavaScript off: subscribe a
// webhook from the page's own form, confirm the challenge by its link, then receive a
// written update signed with Standard Webhooks. The receiver is a local HTTP server here;
// the Worker's cron runs through wrangler's /__scheduled. Registered by run.mjs.
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

/** Standard Webhooks verification (https://www.standardwebhooks.com), as the spec gives it. */
function verify(secret, headers, body) {
  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest();
  assert.ok(Math.abs(Date.now() / 1000 - Number(ts)) < 300, "timestamp within 5 minutes");
  return headers["webhook-signature"].split(" ").some((s) => {
    const [version, mac] = s.split(",");
    const got = Buffer.from(mac ?? "", "base64");
    return version === "v1" && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

async function startReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function waitForCount(list, count, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (list.length < count) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return list[count - 1];
}

export function subscribeTests(test, { base, open, keys }) {
  test("status page: subscribe without JavaScript, confirm, receive a signed webhook for a written update", async () => {
    const receiver = await startReceiver();
    const { context, page } = await open({ viewport: { width: 360, height: 800 } });
    try {
      await page.goto(`${base}/status/acme`);
      await page.click("footer >> text=Subscribe");
      await page.waitForURL(`${base}/status/acme/subscribe`);
      await page.check("input[name=kind][value=webhook]");
      await page.fill("#url", receiver.url);
      await page.click("button:has-text('Subscribe')");
      await page.waitForSelector("code.secret");
      const secret = await page.locator("code.secret").textContent();
      assert.match(secret, /^whsec_/);

      const challenge = await waitForCount(receiver.received, 1, "challenge");
      assert.ok(verify(secret, challenge.headers, challenge.body), "challenge signature");
      const { challenge: ask, meta } = JSON.parse(challenge.body);
      assert.match(meta.unsubscribe, /\/unsubscribe\?token=/);

      await page.goto(ask.confirm_url);
      await page.click("button:has-text('Confirm')");
      await page.waitForSelector("h1:has-text('Subscribed')");

      const res = await fetch(`${base}/v1/incidents/inc_e2e_open/updates`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.admin}`, "content-type": "application/json" },
        body: JSON.stringify({ status: "identified", text: "Prompt v14 shortened answers." }),
      });
      assert.equal(res.status, 201);
      // The every-minute tick announces it (wrangler dev --test-scheduled).
      assert.equal((await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)).status, 200);
      const update = await waitForCount(receiver.received, 2, "update");
      assert.ok(verify(secret, update.headers, update.body), "update signature");
      const payload = JSON.parse(update.body);
      assert.equal(payload.page.id, "acme");
      assert.equal(payload.incident.status, "identified");
      assert.equal(payload.incident.incident_updates[0].body, "Prompt v14 shortened answers.");
      assert.equal(payload.meta.unsubscribe, meta.unsubscribe);
    } finally {
      await context.close();
      await receiver.close();
    }
  });
}
