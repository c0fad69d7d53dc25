// The demo project in the local Driftwatch: created once through the API (keys saved in
// .driftwatch/demo.json), reused while the local database still knows its keys, with its
// Slack channel pointed at this run's webhook sink.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DEPLOYMENTS, ENVIRONMENT } from "./scenario.mjs";

export const STATE_FILE = ".driftwatch/demo.json";

export async function api(base, path, key, { method, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const error = new Error(`${method ?? "POST"} ${path}: ${res.status} ${JSON.stringify(json)}`);
    error.status = res.status;
    throw error;
  }
  return json;
}

export function readState(file = STATE_FILE) {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

export function writeState(state, file = STATE_FILE) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** The saved demo project if the local database still accepts its keys, else a new one. */
export async function ensureProject(base, adminToken) {
  const saved = readState();
  if (saved?.keys?.read) {
    const check = await fetch(`${base}/v1/deployments`, {
      headers: { authorization: `Bearer ${saved.keys.read}` },
    });
    await check.body?.cancel();
    if (check.ok) return { state: saved, fresh: false };
  }
  const { project } = await api(base, "/v1/projects", adminToken, { body: { name: "Demo" } });
  const keys = {};
  for (const scope of ["ingest", "read", "admin"]) {
    const body = { name: `demo-${scope}`, scopes: [scope] };
    keys[scope] = (
      await api(base, `/v1/projects/${project.id}/keys`, adminToken, { body })
    ).key.secret;
  }
  const state = { projectId: project.id, keys };
  writeState(state);
  return { state, fresh: true };
}

/** Points the saved Slack channel at `url` (enabling it again), or creates one. */
export async function ensureSlackChannel(base, state, url) {
  if (state.channelId) {
    try {
      const { channel } = await api(base, `/v1/channels/${state.channelId}`, state.keys.admin, {
        method: "PATCH",
        body: { url, enabled: true },
      });
      return channel;
    } catch (error) {
      if (error.status !== 404) throw error;
    }
  }
  const { channel } = await api(base, "/v1/channels", state.keys.admin, {
    body: { type: "slack", name: "demo-sink (local)", url },
  });
  state.channelId = channel.id;
  writeState(state);
  return channel;
}

/**
 * Resolves the demo project's pending and firing incidents (a manual resolve sends no
 * notification), so alerts left open by an earlier run cannot swallow this run's alert:
 * a rule that still breaches opens a new incident and notifies again. Returns how many.
 */
export async function closeOpenIncidents(base, state) {
  const res = await fetch(`${base}/v1/incidents?status=pending,firing&limit=200`, {
    headers: { authorization: `Bearer ${state.keys.read}` },
  });
  if (!res.ok) {
    await res.body?.cancel();
    return 0;
  }
  const { incidents } = await res.json();
  let closed = 0;
  for (const incident of incidents) {
    try {
      await api(base, `/v1/incidents/${incident.id}/resolve`, state.keys.admin, { body: {} });
      closed++;
    } catch {
      // Changed by a tick meanwhile (409) or already resolved: nothing left to do.
    }
  }
  return closed;
}

/** Where the demo project's public status page lives (`/status/demo`). */
export const DEMO_STATUS_SLUG = "demo";

const DISPLAY_NAMES = {
  "support-bot": "Support assistant",
  "rag-search": "Search answers",
  summarizer: "Document summaries",
};

/**
 * Gives the demo project its public status page listing the demo deployments (idempotent:
 * the same settings every run). A slug taken by another local project leaves it without.
 */
export async function ensureStatusPage(base, state) {
  const status_page = {
    slug: DEMO_STATUS_SLUG,
    title: "Demo AI",
    description: "Live answer quality of the demo's AI features, as Driftwatch sees it.",
    deployments: DEPLOYMENTS.map((d) => ({
      environment: ENVIRONMENT,
      slug: d.slug,
      name: DISPLAY_NAMES[d.slug] ?? d.slug,
    })),
  };
  try {
    await api(base, `/v1/projects/${state.projectId}`, state.keys.admin, {
      method: "PATCH",
      body: { status_page },
    });
    return `${base}/status/${DEMO_STATUS_SLUG}`;
  } catch (error) {
    if (error.status === 409) return null;
    throw error;
  }
}
