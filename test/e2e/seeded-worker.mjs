// Starts the Worker with `wrangler dev` on a fresh local database holding seed data
// (test/e2e/seed.mjs), for the browser tests, the screenshots and bench/status-page.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, executeSqlFile, startDevServer } from "../../scripts/lib/dev-server.mjs";
import { seedSql } from "./seed.mjs";

export async function startSeededWorker({ port, world, now, vars = {}, onLog }) {
  const persistTo = mkdtempSync(join(tmpdir(), "driftwatch-e2e-"));
  applyMigrations(persistTo);
  const file = join(persistTo, "seed.sql");
  writeFileSync(file, seedSql(world, now));
  executeSqlFile(file, persistTo);
  const base = `http://127.0.0.1:${port}`;
  const server = await startDevServer({
    port,
    persistTo,
    migrate: false,
    vars: { ADMIN_TOKEN: "e2e-admin-token", PUBLIC_URL: base, ...vars },
    onLog,
  });
  return {
    base,
    async stop() {
      await server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
