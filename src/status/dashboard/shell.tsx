// The dashboard's page frame: navigation with the signed-in role and a sign-out form.
import type { Child } from "hono/jsx";
import { Document } from "../layout";
import { DASH_CSS } from "./styles";

export interface Viewer {
  projectId: string;
  projectName: string;
  admin: boolean;
  csrf: string;
}

export function Shell(props: { title: string; viewer?: Viewer; children: Child }) {
  const v = props.viewer;
  return (
    <Document title={`${props.title} · Driftwatch`} css={DASH_CSS}>
      <header class="wrap wide">
        <nav class="nav" aria-label="Dashboard">
          <a class="brand" href="/dashboard">
            Driftwatch
          </a>
          {v ? <a href="/dashboard/incidents">Incidents</a> : null}
          {v ? <a href="/dashboard/probes">Probes</a> : null}
          {v ? <a href="/dashboard/settings/channels">Channels</a> : null}
          {v ? <a href="/dashboard/settings/keys">Keys</a> : null}
          {v ? <a href="/dashboard/settings/rules">Rules</a> : null}
          {v ? <a href="/dashboard/settings/status-page">Status page</a> : null}
          {v ? <a href="/dashboard/spend">Spend</a> : null}
          {v ? (
            <div class="who">
              <span class="muted small">
                <span title={v.projectId}>{v.projectName}</span> · {v.admin ? "admin" : "read only"}
              </span>
              <form method="post" action="/dashboard/sign-out">
                <input type="hidden" name="csrf" value={v.csrf} />
                <button type="submit">Sign out</button>
              </form>
            </div>
          ) : null}
        </nav>
      </header>
      <main class="wrap wide">{props.children}</main>
      <footer class="wrap wide">
        Times in UTC · Charts from hourly rollups (1 h, 2 h and 6 h: per minute)
      </footer>
    </Document>
  );
}

export function SignInPage(props: { error?: string; next?: string }) {
  return (
    <Shell title="Sign in">
      <section class="signin card" aria-labelledby="signin">
        <h1 id="signin" style="font-size:1.3rem;margin-bottom:.4rem">
          Sign in to the dashboard
        </h1>
        <p class="muted small" style="margin-top:0">
          Use a project API key with the <b>read</b> or <b>admin</b> scope. The key is checked once;
          the browser keeps only a session cookie.
        </p>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/dashboard/sign-in">
          <label for="key">API key</label>
          <input
            id="key"
            name="key"
            type="password"
            autocomplete="off"
            required
            placeholder="dw_read_…"
          />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <button class="primary" type="submit">
            Sign in
          </button>
        </form>
      </section>
    </Shell>
  );
}

export function MessagePage(props: { title: string; message: string; viewer?: Viewer }) {
  return (
    <Shell title={props.title} viewer={props.viewer}>
      <section class="card" style="margin-top:2rem">
        <h1 style="font-size:1.3rem">{props.title}</h1>
        <p class="muted">{props.message}</p>
        <p>
          <a href="/dashboard">Back to the overview</a>
        </p>
      </section>
    </Shell>
  );
}
