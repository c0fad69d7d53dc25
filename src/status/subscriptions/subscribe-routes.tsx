// /status/{page}/subscribe and the confirm and unsubscribe links of each subscription: HTML
// pages with plain POST forms (no script), outside the API document. Their answers are never
// stored by shared caches (links carry tokens; the form echoes what was typed).

import type { Context } from "hono";
import { Hono } from "hono";
import { sendOutbox } from "../../alerts/delivery/outbox";
import {
  addressHash,
  CHALLENGE_TTL_MS,
  confirmSubscriber,
  MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR,
  subscribe,
  subscriberByLink,
  unsubscribe,
} from "../../alerts/subscribers/subscriber-store";
import type { AppEnv } from "../../http/app-types";
import { clientAddress } from "../../http/auth-failures";
import { outboundOptions, publicOrigin } from "../../net/public-origin";
import { HTML, PRIVATE_CACHE, renderPage, SECURITY_HEADERS } from "../http";
import { findStatusPage } from "../page-data";
import { xmlSafe } from "../xml-chars";
import { parseSubscribeForm } from "./subscribe-form";
import {
  ChallengeSentPage,
  type FormView,
  LinkActionPage,
  MessagePage,
  SubscribePage,
} from "./subscribe-pages";
import { challengePayload, subscriberLinks } from "./subscriber-payload";

type Status = 200 | 202 | 400 | 403 | 404 | 409 | 410 | 429;

async function html(page: unknown, status: Status = 200): Promise<Response> {
  return new Response(xmlSafe(await renderPage(page)), {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": HTML, "cache-control": PRIVATE_CACHE },
  });
}

async function pageOf(c: Context<AppEnv>) {
  const slug = c.req.param("page") ?? "";
  const page = await findStatusPage(c.env.DB, slug);
  if (!page) return null;
  const components = page.settings.deployments.map((d) => ({
    id: `${d.environment}/${d.slug}`,
    name: d.name,
  }));
  return { ...page, slug, base: `/status/${slug}`, components, title: page.settings.title };
}

const notFound = () =>
  html(
    <MessagePage base="/" title="Not found" text="There is no such status page or subscription." />,
    404,
  );

const REFUSED = {
  address_limit: [
    429,
    `At most ${MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR} subscriptions an hour from one address; try again later.`,
  ],
  page_full: [409, "This page has all the subscribers it can take."],
  already_subscribed: [
    409,
    "This URL is already subscribed to this page (or awaits its confirmation).",
  ],
} as const;

export const statusSubscriptions = new Hono<AppEnv>()
  .get("/:page/subscribe", async (c) => {
    const p = await pageOf(c);
    if (!p) return notFound();
    return html(<SubscribePage pageTitle={p.title} base={p.base} components={p.components} />);
  })
  .post("/:page/subscribe", async (c) => {
    const p = await pageOf(c);
    if (!p) return notFound();
    // A browser posting from another site's page is refused; clients without Origin may post.
    const origin = c.req.header("origin");
    if (origin && origin !== new URL(c.req.url).origin) {
      return html(
        <MessagePage
          base={p.base}
          title="Refused"
          text="Subscribe from the status page's own form."
        />,
        403,
      );
    }
    const form = await c.req.parseBody({ all: true });
    const view = (errors: FormView["errors"]): FormView => ({
      kind: typeof form.kind === "string" ? form.kind : "",
      url: typeof form.url === "string" ? form.url.slice(0, 2048) : "",
      components: (Array.isArray(form.component) ? form.component : [form.component]).filter(
        (x): x is string => typeof x === "string",
      ),
      errors,
    });
    const again = (status: Status, errors: FormView["errors"]) =>
      html(
        <SubscribePage
          pageTitle={p.title}
          base={p.base}
          components={p.components}
          view={view(errors)}
        />,
        status,
      );
    const parsed = parseSubscribeForm(
      form,
      p.components.map((x) => x.id),
      outboundOptions(c.env),
    );
    if (!parsed.ok) return again(400, parsed.errors);
    const pageUrl = `${publicOrigin(c.env)}${p.base}`;
    const now = Date.now();
    const result = await subscribe(
      c.env.DB,
      {
        projectId: p.projectId,
        ...parsed.value,
        addressHash: await addressHash(clientAddress(c.req.header("cf-connecting-ip"))),
      },
      (s) =>
        challengePayload(
          s,
          { slug: p.slug, title: p.title },
          subscriberLinks(pageUrl, s),
          s.createdAt + CHALLENGE_TTL_MS,
        ),
      now,
    );
    if (!result.ok) {
      const [status, text] = REFUSED[result.refused];
      return again(status, { form: text });
    }
    // A failed queue send leaves the challenge in the outbox for the next tick.
    await sendOutbox(c.env, now, [result.challengeId]).catch((err: unknown) =>
      console.error("queueing a subscription challenge failed; the next tick sends it", err),
    );
    return html(
      <ChallengeSentPage
        pageTitle={p.title}
        base={p.base}
        kind={result.subscriber.kind}
        secret={result.subscriber.secret}
      />,
      202,
    );
  })
  .on(["GET", "POST"], "/:page/subscriptions/:id/:action{confirm|unsubscribe}", async (c) => {
    const p = await pageOf(c);
    const token = c.req.query("token") ?? "";
    const s =
      p && token ? await subscriberByLink(c.env.DB, p.projectId, c.req.param("id"), token) : null;
    if (!p || !s) return notFound();
    const action = c.req.param("action") === "confirm" ? "confirm" : "unsubscribe";
    if (c.req.method === "GET") {
      const post = `${p.base}/subscriptions/${s.id}/${action}?token=${encodeURIComponent(token)}`;
      return html(<LinkActionPage base={p.base} action={action} pageTitle={p.title} post={post} />);
    }
    if (action === "unsubscribe") {
      await unsubscribe(c.env.DB, s);
      return html(
        <MessagePage
          base={p.base}
          title="Unsubscribed"
          text="Nothing more will be sent to this address."
        />,
      );
    }
    if (!(await confirmSubscriber(c.env.DB, s))) {
      const text =
        s.status === "unsubscribed"
          ? "This subscription was ended; subscribe again from the status page."
          : "This confirmation link has lapsed (24 hours); subscribe again from the status page.";
      return html(<MessagePage base={p.base} title="Not confirmed" text={text} />, 410);
    }
    return html(
      <MessagePage
        base={p.base}
        title="Subscribed"
        text={`You will receive ${p.title} status updates. Every message carries an unsubscribe link.`}
      />,
    );
  });
