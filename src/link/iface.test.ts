import assert from "node:assert/strict";
import type { networkInterfaces } from "node:os";
import { test } from "node:test";
import { LinkError } from "./errors.js";
import { findLinkLocalAddress, withScope } from "./iface.js";

const ifaces = {
  lo: [
    {
      address: "::1",
      netmask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      family: "IPv6",
      mac: "00:00:00:00:00:00",
      internal: true,
      cidr: "::1/128",
      scopeid: 0,
    },
  ],
  plc0: [
    {
      address: "fd00::2",
      netmask: "ffff:ffff:ffff:ffff::",
      family: "IPv6",
      mac: "02:00:00:00:00:01",
      internal: false,
      cidr: "fd00::2/64",
      scopeid: 0,
    },
    {
      address: "fe80::fc:ff:fe00:1",
      netmask: "ffff:ffff:ffff:ffff::",
      family: "IPv6",
      mac: "02:00:00:00:00:01",
      internal: false,
      cidr: "fe80::fc:ff:fe00:1/64",
      scopeid: 4,
    },
  ],
} as unknown as ReturnType<typeof networkInterfaces>;

test("findLinkLocalAddress picks the fe80::/10 address of the interface", () => {
  assert.equal(findLinkLocalAddress("plc0", ifaces), "fe80::fc:ff:fe00:1");
  assert.throws(
    () => findLinkLocalAddress("lo", ifaces),
    (e: unknown) => e instanceof LinkError && e.code === "no-link-local",
  );
  assert.throws(
    () => findLinkLocalAddress("eth9", ifaces),
    (e: unknown) => e instanceof LinkError && e.code === "no-interface" && /have: lo, plc0/.test(e.message),
  );
});

test("withScope adds %iface to link-local addresses only, keeps existing zones", () => {
  assert.equal(withScope("fe80::1", "plc0"), "fe80::1%plc0");
  assert.equal(withScope("fe80::1%eth0", "plc0"), "fe80::1%eth0");
  assert.equal(withScope("fd00::2", "plc0"), "fd00::2");
  assert.equal(withScope("::1", "lo"), "::1");
  assert.equal(withScope("fe80::1", undefined), "fe80::1");
});
