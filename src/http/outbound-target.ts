// The check every route that stores an outbound URL makes (alert channels, probes):
// outside local development only https on a public host, never loopback, private or
// link-local addresses (cloud metadata), local names or this service itself
// (src/net/outbound-url.ts). A refused URL is a 400 naming the field, like any other
// invalid field.
import { checkOutboundUrl } from "../net/outbound-url";
import { outboundOptions } from "../net/public-origin";
import { fieldIssuesError } from "./errors";

export function checkOutboundTarget(env: Env, url: string, path = "url"): void {
  const checked = checkOutboundUrl(url, outboundOptions(env));
  if (checked.ok) return;
  throw fieldIssuesError([{ path, message: checked.reason }]);
}
