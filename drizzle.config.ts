// drizzle-kit writes SQL migrations into migrations/, which is also wrangler's migrations_dir.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
});
