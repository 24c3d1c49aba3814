import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatIpv6, isIpv6LinkLocal, parseIpv6, splitIpv6Zone } from "./sdp-ipv6.js";
import { V2gtpError } from "./v2gtp.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("ipv6: parse and format canonical text (RFC 5952 examples)", () => {
  const cases: [string, string, string][] = [
    ["fe80::1", "fe800000000000000000000000000001", "fe80::1"],
    ["FE80:0:0:0:0204:61FF:FE9D:F156", "fe80000000000000020461fffe9df156", "fe80::204:61ff:fe9d:f156"],
    ["2001:db8:0:0:1:0:0:1", "20010db8000000000001000000000001", "2001:db8::1:0:0:1"],
    ["2001:db8::1:0:0:1", "20010db8000000000001000000000001", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"],
    ["::", "00000000000000000000000000000000", "::"],
    ["::1", "00000000000000000000000000000001", "::1"],
    ["ff02::1", "ff020000000000000000000000000001", "ff02::1"],
    ["::ffff:192.0.2.1", "00000000000000000000ffffc0000201", "::ffff:c000:201"],
    ["fe80::1%eth0", "fe800000000000000000000000000001", "fe80::1"],
  ];
  for (const [text, bytes, canonical] of cases) {
    assert.equal(hex(parseIpv6(text)), bytes, text);
    assert.equal(formatIpv6(parseIpv6(text)), canonical, text);
  }
  assert.deepEqual(splitIpv6Zone("fe80::1%eth0"), { address: "fe80::1", zone: "eth0" });
  assert.ok(isIpv6LinkLocal(parseIpv6("fe80::1")));
  assert.ok(!isIpv6LinkLocal(parseIpv6("ff02::1")));
});

test("ipv6: malformed text is V2gtpError bad-address", () => {
  for (const bad of [
    "",
    "1:2:3:4:5:6:7",
    "1::2::3",
    "12345::",
    "g::1",
    "1:2:3:4:5:6:7:8:9",
    "::1.2.3",
    "1:2:3:4:5:6:7::8",
  ]) {
    assert.throws(
      () => parseIpv6(bad),
      (e: unknown) => e instanceof V2gtpError && e.code === "bad-address",
      bad,
    );
  }
  assert.throws(
    () => formatIpv6(new Uint8Array(4)),
    (e: unknown) => e instanceof V2gtpError,
  );
});

test("ipv6: format matches WHATWG URL serialisation and parse inverts it (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }),
      (groups) => {
        const bytes = new Uint8Array(16);
        groups.forEach((g, i) => {
          bytes[i * 2] = g >> 8;
          bytes[i * 2 + 1] = g & 0xff;
        });
        const text = formatIpv6(bytes);
        const full = groups.map((g) => g.toString(16)).join(":");
        assert.equal(text, new URL(`http://[${full}]/`).hostname.slice(1, -1));
        assert.equal(hex(parseIpv6(text)), hex(bytes));
        assert.equal(hex(parseIpv6(full)), hex(bytes));
      },
    ),
    { numRuns: 300 },
  );
});
