// The demo's deploy pipeline: before the canary of prompt v14 starts, it announces the
// release (POST /v1/releases, as the CI gate of docs/verdicts.md does), so every run gets
// a verdict of its own, even when an earlier run already judged v14.
import { api } from "./demo-project.mjs";
import { deploymentNamed, ENVIRONMENT, INCIDENT } from "./scenario.mjs";

/** The announcement's body: the labels v14's events carry, the git sha and planned share. */
export function demoAnnouncement() {
  const bot = deploymentNamed(INCIDENT.deployment);
  return {
    environment: ENVIRONMENT,
    deployment: bot.slug,
    model: bot.model,
    provider: bot.provider,
    prompt_version: INCIDENT.prompt_version,
    git_sha: INCIDENT.gitSha,
    planned_share: INCIDENT.canaryShare,
  };
}

/** Announces v14; answers its pending verdict's id (null: an earlier run's is still pending). */
export async function announceDemoRelease(base, state) {
  try {
    const { verdict } = await api(base, "/v1/releases", state.keys.admin, {
      body: demoAnnouncement(),
    });
    return verdict.id;
  } catch (error) {
    if (error.status === 409) return null;
    throw error;
  }
}
