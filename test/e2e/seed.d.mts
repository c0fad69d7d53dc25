// Types of seed.mjs for the workerd tests that seed the same worlds (test/status/page-weight.test.ts).

export interface SeedWorld {
  projectId: string;
  page: { slug: string; title: string; description: string };
  deployments: readonly { slug: string; name: string }[];
  incidents: readonly { id: string; slug: string }[];
  updates: readonly { id: string; incidentId: string }[];
  maintenances: readonly { id: string; slugs: readonly string[] }[];
  probes?: readonly { id: string; name: string }[];
}

export const E2E_KEYS: { read: string; admin: string };
export function e2eWorld(now: number): SeedWorld;
export function benchWorld(now: number, n?: number, everyDays?: number): SeedWorld;
/** One INSERT statement a line; `keys` (scope → secret) are stored hashed. */
export function seedSql(
  world: SeedWorld,
  now: number,
  options?: { keys?: Record<string, string>; hours?: number },
): string;
