/**
 * createVethPair: DAD is off on both veth ends (accept_dad 0), so their IPv6 link-local addresses are
 * never tentative, and the namespaces are gone after destroy(). Skipped
 * with a printed reason when not root or without iproute2.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { createVethPair, findIp, listNetns, netnsSkipReason } from "./netns.js";

const skip = netnsSkipReason();
if (skip) console.log(`# netns test skipped: ${skip}`);

const addrs = (ns: string, iface: string, ...filter: string[]): string =>
  execFileSync(findIp() ?? "ip", ["-n", ns, "-6", "addr", "show", "dev", iface, ...filter], {
    encoding: "utf8",
  });

test(
  "createVethPair: no DAD on the veth ends, link-local addresses never tentative; namespaces removed",
  { skip },
  async () => {
    const pair = createVethPair(`${process.pid}-0`);
    try {
      for (const [ns, i] of [
        [pair.nsEv, pair.ifEv],
        [pair.nsEvse, pair.ifEvse],
      ] as const) {
        // DupAddrDetectTransmits 0 on the veth end (RFC 4862 §5.1).
        const conf = `/proc/sys/net/ipv6/conf/${i}/accept_dad`;
        const dad = execFileSync(findIp() ?? "ip", ["netns", "exec", ns, "cat", conf], { encoding: "utf8" });
        assert.equal(dad.trim(), "0", `${ns} ${i} accept_dad`);
        // The link-local address, once there, is never tentative (DAD holds it tentative for 1–2 s).
        const until = performance.now() + 5_000;
        while (!/inet6 fe80:/.test(addrs(ns, i))) {
          assert.ok(performance.now() < until, `no link-local address on ${i} in ${ns}`);
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.equal(addrs(ns, i, "tentative").trim(), "", `${i} in ${ns}: tentative`);
      }
    } finally {
      pair.destroy();
    }
    assert.deepEqual(
      listNetns().filter((n) => n.endsWith(`-${process.pid}-0`)),
      [],
    );
  },
);
