// Which URLs the service may send requests to (alert webhooks, Slack, probe targets):
// outside local development only https to a public host, never back into the
// service itself. Pure: the host is judged from the URL as written, after the WHATWG
// parser has normalised it (so 2130706433, 0x7f.1 and 127.1 all read 127.0.0.1, and
// [::ffff:127.0.0.1] reads [::ffff:7f00:1]).
// NOTE: a public name that resolves to a private address is not caught here (Workers
// have no DNS lookup); Cloudflare's fetch does not reach private networks in production.

export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export interface OutboundUrlOptions {
  /** True in local development: http and private, loopback and local hosts are allowed. */
  allowPrivate: boolean;
  /** The service's own public origin (PUBLIC_URL): never a target. */
  ownOrigin?: string;
}

export const OUTBOUND_URL_MAX_LENGTH = 2048;

type Range = [base: bigint, prefix: number, what: string];

const v4 = (text: string): bigint => parseIpv4(text) ?? 0n;
const v6 = (text: string): bigint => parseIpv6(text) ?? 0n;

/** IPv4 ranges that are not public unicast (RFC 6890 and friends). */
const IPV4_BLOCKED: Range[] = [
  [v4("0.0.0.0"), 8, "a 'this network' address (0.0.0.0/8)"],
  [v4("10.0.0.0"), 8, "a private address (10.0.0.0/8)"],
  [v4("100.64.0.0"), 10, "a shared (carrier-grade NAT) address (100.64.0.0/10)"],
  [v4("127.0.0.0"), 8, "a loopback address (127.0.0.0/8)"],
  [v4("169.254.0.0"), 16, "a link-local address (169.254.0.0/16, cloud metadata)"],
  [v4("172.16.0.0"), 12, "a private address (172.16.0.0/12)"],
  [v4("192.0.0.0"), 24, "an IETF protocol address (192.0.0.0/24)"],
  [v4("192.0.2.0"), 24, "a documentation address (192.0.2.0/24)"],
  [v4("192.168.0.0"), 16, "a private address (192.168.0.0/16)"],
  [v4("198.18.0.0"), 15, "a benchmarking address (198.18.0.0/15)"],
  [v4("198.51.100.0"), 24, "a documentation address (198.51.100.0/24)"],
  [v4("203.0.113.0"), 24, "a documentation address (203.0.113.0/24)"],
  [v4("224.0.0.0"), 4, "a multicast address (224.0.0.0/4)"],
  [v4("240.0.0.0"), 4, "a reserved address (240.0.0.0/4)"],
];

/** IPv6 prefixes whose low 32 bits are an IPv4 address, judged as that address. */
const IPV6_EMBEDDING: Range[] = [
  [v6("::ffff:0:0"), 96, "IPv4-mapped"],
  [v6("64:ff9b::"), 96, "NAT64"],
];

const IPV6_BLOCKED: Range[] = [
  [v6("::1"), 128, "a loopback address (::1)"],
  [v6("::"), 96, "an unspecified or IPv4-compatible address (::/96)"],
  [v6("fc00::"), 7, "a private (unique local) address (fc00::/7)"],
  [v6("fe80::"), 10, "a link-local address (fe80::/10)"],
  [v6("fec0::"), 10, "a site-local address (fec0::/10)"],
  [v6("ff00::"), 8, "a multicast address (ff00::/8)"],
  [v6("2001:db8::"), 32, "a documentation address (2001:db8::/32)"],
  [v6("2001::"), 32, "a Teredo tunnel address (2001::/32)"],
  [v6("2002::"), 16, "a 6to4 tunnel address (2002::/16)"],
];
/** Everything public in IPv6 is global unicast. */
const IPV6_GLOBAL: Range = [v6("2000::"), 3, "global unicast"];

/** Names that only mean something on a local network or inside a platform. */
const LOCAL_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa", "lan"];

function inRange(address: bigint, bits: number, [base, prefix]: Range): boolean {
  const shift = BigInt(bits - prefix);
  return address >> shift === base >> shift;
}

/** Dotted-quad IPv4 (as the URL parser normalises it) to a 32-bit integer. */
export function parseIpv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/** IPv6 text (with "::" and an optional dotted IPv4 tail) to a 128-bit integer. */
export function parseIpv6(text: string): bigint | null {
  let groups: string[];
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let source = text;
  if (tail?.[1] !== undefined && tail[2] !== undefined) {
    const four = parseIpv4(tail[2]);
    if (four === null) return null;
    source = `${tail[1]}${(four >> 16n).toString(16)}:${(four & 0xffffn).toString(16)}`;
  }
  const halves = source.split("::");
  if (halves.length > 2) return null;
  const split = (s: string | undefined) => (s ? s.split(":") : []);
  if (halves.length === 2) {
    const head = split(halves[0]);
    const rest = split(halves[1]);
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill("0"), ...rest];
  } else groups = split(halves[0]);
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

function ipv4Problem(address: bigint): string | null {
  if (address === 0xffffffffn) return "a broadcast address (255.255.255.255)";
  return IPV4_BLOCKED.find((r) => inRange(address, 32, r))?.[2] ?? null;
}

function ipv6Problem(address: bigint): string | null {
  const embedding = IPV6_EMBEDDING.find((r) => inRange(address, 128, r));
  if (embedding) {
    const problem = ipv4Problem(address & 0xffffffffn);
    return problem ? `${problem}, ${embedding[2]} in IPv6` : null;
  }
  const blocked = IPV6_BLOCKED.find((r) => inRange(address, 128, r));
  if (blocked) return blocked[2];
  return inRange(address, 128, IPV6_GLOBAL) ? null : "a reserved IPv6 address (not 2000::/3)";
}

/** Why a (lowercase, normalised) host is not a public one, or null if it is. */
function hostProblem(host: string): string | null {
  if (host.startsWith("[") && host.endsWith("]")) {
    const address = parseIpv6(host.slice(1, -1));
    return address === null ? "an unparseable IPv6 address" : ipv6Problem(address);
  }
  const address = parseIpv4(host);
  if (address !== null) return ipv4Problem(address);
  const name = host.replace(/\.$/, "");
  const local = LOCAL_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  if (local) return `a local host name (${local === "localhost" ? "localhost" : `.${local}`})`;
  if (!name.includes(".")) return `a single-label host name (${name}), not a public one`;
  return null;
}

const sameHost = (a: string, b: string) => a.replace(/\.$/, "") === b.replace(/\.$/, "");

/**
 * Whether the service may send requests to `url`. Outside development: https only, to a
 * public host, never the service's own host (any port); in development http and private
 * hosts are fine but the service's own origin still is not (a loop).
 */
export function checkOutboundUrl(url: string, opts: OutboundUrlOptions): OutboundUrlCheck {
  if (url.length > OUTBOUND_URL_MAX_LENGTH) {
    return { ok: false, reason: `must be at most ${OUTBOUND_URL_MAX_LENGTH} characters` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "must be a valid absolute URL" };
  }
  if (opts.allowPrivate) {
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      return { ok: false, reason: "must be an http(s) URL" };
    }
  } else if (parsed.protocol !== "https:") {
    return { ok: false, reason: "must be an https URL" };
  }
  const own = opts.ownOrigin && URL.canParse(opts.ownOrigin) ? new URL(opts.ownOrigin) : null;
  if (own) {
    const loops = opts.allowPrivate
      ? parsed.origin === own.origin
      : sameHost(parsed.hostname, own.hostname);
    if (loops) return { ok: false, reason: `must not point at this service (${own.origin})` };
  }
  if (opts.allowPrivate) return { ok: true, url: parsed };
  const problem = hostProblem(parsed.hostname);
  return problem
    ? { ok: false, reason: `must point at a public host, not ${problem}` }
    : { ok: true, url: parsed };
}
