// `npm test` must work on a fresh machine with only Node and npm: when Debian's Chromium
// is missing, install it with apt-get (as root, or through passwordless sudo). Never a
// browser download from elsewhere.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export function ensureChromium(executable) {
  if (existsSync(executable)) return;
  if (executable !== "/usr/bin/chromium") {
    throw new Error(`e2e: no Chromium at ${executable} (CHROMIUM points there)`);
  }
  const root = process.getuid?.() === 0;
  const run = (args) =>
    execFileSync(root ? args[0] : "sudo", root ? args.slice(1) : ["-n", ...args], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  console.log("e2e: Chromium is missing; installing Debian's chromium package with apt-get…");
  try {
    run(["apt-get", "update"]);
    run(["apt-get", "install", "-y", "chromium"]);
  } catch {
    throw new Error(
      "e2e: Chromium is missing and could not be installed; run `apt-get install -y chromium` as root",
    );
  }
  if (!existsSync(executable))
    throw new Error(`e2e: apt-get ran but ${executable} is still missing`);
}
