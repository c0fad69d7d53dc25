// Constants read from the Worker's own TypeScript (bundled with esbuild and imported), so
// the capacity model uses the values (and the direct intake's commit rule) the code runs
// with instead of copies of them.
import { build } from "esbuild";

export async function sourceConstants() {
  const result = await build({
    stdin: {
      contents: `
        export { KEEP_MS, PARTITION_MS } from "./src/monitor/ledger/ledger";
        export { ARCHIVE_DELAY_MS } from "./src/monitor/archive-outbox";
        export * as intakeRule from "./src/monitor/intake-window";`,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "node22",
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}
