// Types of the demo's release announcement (demo-release.mjs), for strict TypeScript tests.
export interface DemoAnnouncement {
  environment: string;
  deployment: string;
  model: string;
  provider: string;
  prompt_version: string;
  git_sha: string;
  planned_share: number;
}

export declare function demoAnnouncement(): DemoAnnouncement;
export declare function announceDemoRelease(
  base: string,
  state: { keys: { admin: string } },
): Promise<string | null>;
