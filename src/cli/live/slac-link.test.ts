import assert from "node:assert/strict";
import { test } from "node:test";
import { interfaceMac } from "./slac-link.js";

test("interfaceMac: the interface's hardware address; none for loopback's zero MAC or an unknown name", () => {
  const ifs = {
    eth1: [
      {
        address: "fe80::1",
        netmask: "",
        family: "IPv6",
        mac: "02:1a:2b:3c:4d:5e",
        internal: false,
        cidr: null,
        scopeid: 2,
      },
    ],
    lo: [
      {
        address: "::1",
        netmask: "",
        family: "IPv6",
        mac: "00:00:00:00:00:00",
        internal: true,
        cidr: null,
        scopeid: 0,
      },
    ],
  } as unknown as ReturnType<typeof import("node:os").networkInterfaces>;
  assert.deepEqual([...(interfaceMac("eth1", ifs) ?? [])], [0x02, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e]);
  assert.equal(interfaceMac("lo", ifs), null);
  assert.equal(interfaceMac("nope", ifs), null);
});
