// Renders a Slack Block Kit message as plain console text, the way Slack would show it:
// header, each alert's text and fields, the chart link and the context line.

/** Slack mrkdwn to plain text: links as "label (url)", dates by their fallback, no markup. */
export function plain(mrkdwn) {
  return mrkdwn
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<([^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/<([^>]+)>/g, "$1")
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** A field's "*Label*\nvalue" as [label, value]. */
function fieldParts(text) {
  const [label = "", ...rest] = text.split("\n");
  return [plain(label), plain(rest.join(" "))];
}

function section(block, lines) {
  lines.push(...plain(block.text?.text ?? "").split("\n"));
  const fields = (block.fields ?? []).map((f) => fieldParts(f.text));
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  for (const [label, value] of fields) lines.push(`    ${label.padEnd(width)}  ${value}`);
  const button = block.accessory;
  if (button?.type === "button") lines.push(`    [${button.text.text}] ${button.url}`);
}

/** The lines a person would read in Slack for `message` ({text, blocks}). */
export function renderSlack(message) {
  const lines = [];
  for (const block of message.blocks ?? []) {
    if (block.type === "header") lines.push(block.text.text, "");
    else if (block.type === "section") section(block, lines);
    else if (block.type === "context") {
      lines.push(`  ${block.elements.map((e) => plain(e.text ?? "")).join("  ")}`, "");
    } else if (block.type === "divider") lines.push("────");
  }
  if (lines.length === 0 && message.text) lines.push(plain(message.text));
  while (lines.at(-1) === "") lines.pop();
  return lines;
}
