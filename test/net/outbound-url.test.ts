// Outbound URL policy from a table: outside development only https to public hosts, in
// every spelling of a private address the URL parser accepts; never the service itself.
import { describe, expect, it } from "vitest";
import { checkOutboundUrl, parseIpv6 } from "../../src/net/outbound-url";

const production = { allowPrivate: false, ownOrigin: "https://driftwatch.example.com" };
const development = { allowPrivate: true, ownOrigin: "http://127.0.0.1:8787" };

/** The reason a URL is refused, or "ok". */
const verdict = (url: string, opts = production) => {
  const result = checkOutboundUrl(url, opts);
  return result.ok ? "ok" : result.reason;
};

describe("checkOutboundUrl outside development", () => {
  const accepted = [
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://ops.example.com:8443/driftwatch?x=1",
    "https://8.8.8.8/hook",
    "https://[2606:4700:4700::1111]/hook",
    "https://[::ffff:8.8.8.8]/hook",
    "https://xn--bcher-kva.example/hook",
  ];
  it.each(accepted)("accepts %s", (url) => {
    expect(verdict(url)).toBe("ok");
  });

  const refused: [url: string, reason: RegExp][] = [
    ["http://hooks.example.com/x", /^must be an https URL$/],
    ["ftp://example.com/x", /^must be an https URL$/],
    ["javascript:alert(1)", /^must be an https URL$/],
    ["not a url", /^must be a valid absolute URL$/],
    ["/relative/path", /^must be a valid absolute URL$/],
    [`https://example.com/${"a".repeat(2100)}`, /^must be at most 2048 characters$/],
    ["https://127.0.0.1/x", /loopback address \(127\.0\.0\.0\/8\)/],
    ["https://127.1/x", /loopback/],
    ["https://2130706433/x", /loopback/],
    ["https://0x7f000001/x", /loopback/],
    ["https://0177.0.0.1/x", /loopback/],
    ["https://0.0.0.0/x", /'this network'/],
    ["https://10.1.2.3/x", /private address \(10\.0\.0\.0\/8\)/],
    ["https://172.16.0.1/x", /private address \(172\.16\.0\.0\/12\)/],
    ["https://172.31.255.255/x", /172\.16\.0\.0\/12/],
    ["https://192.168.1.1/x", /private address \(192\.168\.0\.0\/16\)/],
    ["https://100.64.0.1/x", /carrier-grade NAT/],
    ["https://100.127.255.255/x", /100\.64\.0\.0\/10/],
    ["https://169.254.169.254/latest/meta-data/", /link-local address \(169\.254\.0\.0\/16/],
    ["https://224.0.0.1/x", /multicast/],
    ["https://255.255.255.255/x", /broadcast/],
    ["https://[::1]/x", /loopback address \(::1\)/],
    ["https://[::]/x", /unspecified/],
    ["https://[::ffff:127.0.0.1]/x", /loopback address \(127\.0\.0\.0\/8\), IPv4-mapped in IPv6/],
    ["https://[::ffff:169.254.169.254]/x", /link-local.*IPv4-mapped/],
    ["https://[::ffff:a9fe:a9fe]/x", /link-local.*IPv4-mapped/],
    ["https://[64:ff9b::10.0.0.1]/x", /private address.*NAT64/],
    ["https://[::127.0.0.1]/x", /IPv4-compatible/],
    ["https://[fc00::1]/x", /unique local/],
    ["https://[fd12:3456::1]/x", /fc00::\/7/],
    ["https://[fe80::1]/x", /link-local address \(fe80::\/10\)/],
    ["https://[febf::1]/x", /fe80::\/10/],
    ["https://[ff02::1]/x", /multicast/],
    ["https://[2001:db8::1]/x", /documentation/],
    ["https://localhost/x", /local host name \(localhost\)/],
    ["https://LOCALHOST./x", /local host name \(localhost\)/],
    ["https://api.localhost/x", /localhost/],
    ["https://printer.local/x", /local host name \(\.local\)/],
    ["https://metadata.google.internal/x", /local host name \(\.internal\)/],
    ["https://intranet/x", /single-label host name \(intranet\)/],
    ["https://driftwatch.example.com/v1/events", /^must not point at this service/],
    ["https://DRIFTWATCH.example.com:8443/x", /^must not point at this service/],
  ];
  it.each(refused)("refuses %s", (url, reason) => {
    expect(verdict(url)).toMatch(reason);
  });

  it("returns the parsed URL when accepted", () => {
    const result = checkOutboundUrl("https://Ops.Example.com/a?b=1", production);
    expect(result.ok && result.url.href).toBe("https://ops.example.com/a?b=1");
  });
});

describe("checkOutboundUrl in local development", () => {
  it("accepts http and private hosts, such as a local webhook sink", () => {
    expect(verdict("http://127.0.0.1:9000/hook", development)).toBe("ok");
    expect(verdict("http://localhost:9000/hook", development)).toBe("ok");
    expect(verdict("http://192.168.1.10/hook", development)).toBe("ok");
  });

  it("still refuses other schemes and the service's own origin", () => {
    expect(verdict("ftp://127.0.0.1/x", development)).toBe("must be an http(s) URL");
    expect(verdict("http://127.0.0.1:8787/v1/events", development)).toMatch(
      /^must not point at this service \(http:\/\/127\.0\.0\.1:8787\)$/,
    );
  });

  it("ignores an own origin that is not a URL", () => {
    expect(verdict("https://example.com/x", { allowPrivate: false, ownOrigin: "nope" })).toBe("ok");
  });
});

describe("parseIpv6", () => {
  it.each([
    ["::1", 1n],
    ["::", 0n],
    ["1::", 1n << 112n],
    ["::ffff:1.2.3.4", 0xffff01020304n],
    ["1:2:3:4:5:6:7:8", 0x00010002000300040005000600070008n],
  ])("reads %s", (text, value) => {
    expect(parseIpv6(text)).toBe(value);
  });
  it.each(["1:2:3", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "g::1", "::1.2.3.256"])(
    "rejects %s",
    (text) => {
      expect(parseIpv6(text)).toBeNull();
    },
  );
});
