// The subscribe form and the pages around it (confirm, unsubscribe, done). Small pages of
// their own, so the status page only carries a link; plain POST forms, no script.
import type { Child } from "hono/jsx";
import { Document } from "../layout";

const CSS =
  "form p{margin:.7rem 0}label{display:block}input[type=url]{width:100%;font:inherit;padding:6px 8px}" +
  ".err{color:var(--out)}button{font:inherit;padding:6px 14px}code{overflow-wrap:anywhere}";

function Shell(props: { title: string; back: string; children: Child }) {
  return (
    <Document title={props.title} css={CSS}>
      <main class="wrap" style="padding-top:2rem">
        <p class="small">
          <a href={props.back}>← Status page</a>
        </p>
        <section class="card">{props.children}</section>
      </main>
    </Document>
  );
}

export interface FormView {
  kind?: string;
  url?: string;
  components?: readonly string[];
  errors?: Partial<Record<"kind" | "url" | "component" | "form", string>>;
}

export function SubscribePage(props: {
  pageTitle: string;
  base: string;
  components: readonly { id: string; name: string }[];
  view?: FormView;
}) {
  const v = props.view ?? {};
  const e = v.errors ?? {};
  return (
    <Shell title={`Subscribe to ${props.pageTitle} status`} back={props.base}>
      <h1>Get {props.pageTitle} status updates</h1>
      <p class="muted small">
        A message when an incident opens, for each update the team writes, when it is resolved, and
        when maintenance starts and ends. Webhooks get Statuspage's payload, signed with Standard
        Webhooks. Nothing is sent until you confirm the first message.
      </p>
      {e.form ? <p class="err">{e.form}</p> : null}
      <form method="post" action={`${props.base}/subscribe`}>
        <fieldset>
          <legend>Send to</legend>
          <label>
            <input type="radio" name="kind" value="webhook" checked={v.kind !== "slack"} /> A
            webhook URL
          </label>
          <label>
            <input type="radio" name="kind" value="slack" checked={v.kind === "slack"} /> A Slack
            incoming webhook
          </label>
          {e.kind ? <span class="err">{e.kind}</span> : null}
        </fieldset>
        <p>
          <label for="url">URL (https)</label>
          <input id="url" type="url" name="url" required value={v.url ?? ""} />
          {e.url ? <span class="err">{e.url}</span> : null}
        </p>
        {props.components.length > 1 ? (
          <fieldset>
            <legend>Only these (none ticked: everything)</legend>
            {props.components.map((c) => (
              <label>
                <input
                  type="checkbox"
                  name="component"
                  value={c.id}
                  checked={v.components?.includes(c.id) ?? false}
                />{" "}
                {c.name}
              </label>
            ))}
            {e.component ? <span class="err">{e.component}</span> : null}
          </fieldset>
        ) : null}
        <p>
          <button type="submit">Subscribe</button>
        </p>
      </form>
    </Shell>
  );
}

export function ChallengeSentPage(props: {
  pageTitle: string;
  base: string;
  kind: "webhook" | "slack";
  secret: string | null;
}) {
  return (
    <Shell title="Confirm your subscription" back={props.base}>
      <h1>Almost there</h1>
      <p>
        We sent a first message to your {props.kind === "slack" ? "Slack channel" : "webhook"}. It
        holds a confirmation link:{" "}
        {props.kind === "slack" ? "open it" : "POST to its challenge.confirm_url, or open it"} and
        press Confirm within 24 hours. Until then nothing else is sent.
      </p>
      {props.secret ? (
        <p>
          Signing secret (shown once; verify each request's <code>webhook-signature</code> with it):{" "}
          <code class="secret">{props.secret}</code>
        </p>
      ) : null}
    </Shell>
  );
}

/** The page behind a confirm or unsubscribe link: one button, since link scanners only GET. */
export function LinkActionPage(props: {
  base: string;
  action: "confirm" | "unsubscribe";
  pageTitle: string;
  post: string;
}) {
  const confirm = props.action === "confirm";
  return (
    <Shell title={confirm ? "Confirm subscription" : "Unsubscribe"} back={props.base}>
      <h1>{confirm ? "Confirm your subscription" : "Unsubscribe"}</h1>
      <p>
        {confirm
          ? `Receive ${props.pageTitle} status updates at this address?`
          : `Stop receiving ${props.pageTitle} status updates at this address?`}
      </p>
      <form method="post" action={props.post}>
        <button type="submit">{confirm ? "Confirm" : "Unsubscribe"}</button>
      </form>
    </Shell>
  );
}

export function MessagePage(props: { base: string; title: string; text: string }) {
  return (
    <Shell title={props.title} back={props.base}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
    </Shell>
  );
}
