// The README's walkthrough code, read from the README itself so the test runs what a
// reader copies: the `js` block of "Monitor your own app in 10 minutes" that starts with
// `// my-app.mjs`.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const README = join(import.meta.dirname, "../../README.md");
const SECTION = "## Monitor your own app in 10 minutes";

/** The README's walkthrough section, up to the next `## ` heading. */
export function walkthroughSection() {
  const text = readFileSync(README, "utf8");
  const start = text.indexOf(SECTION);
  if (start < 0) throw new Error(`README has no "${SECTION}" section`);
  const end = text.indexOf("\n## ", start + SECTION.length);
  return text.slice(start, end < 0 ? undefined : end);
}

export function myAppFromReadme() {
  const section = walkthroughSection();
  const block = /```js\n(\/\/ my-app\.mjs[\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("the README's walkthrough has no my-app.mjs block");
  return block[1];
}
