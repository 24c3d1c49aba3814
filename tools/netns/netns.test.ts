/**
 * createVethPair: both veth ends carry a usable (not tentative) IPv6 link-local address right after the
 * pair is made, since DAD is off in the namespaces, and the namespaces are gone after destroy(). Skipped
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
  "createVethPair: link-local addresses usable at once (no DAD wait), namespaces removed",
  { skip },
  async () => {
    const pair = createVethPair(`${process.pid}-0`);
    try {
      // Within 300 ms (DAD would keep them tentative for 1–2 s): a link-local address, none tentative.
      const until = performance.now() + 300;
      for (;;) {
        const ready = [
          [pair.nsEv, pair.ifEv],
          [pair.nsEvse, pair.ifEvse],
        ].every(([ns, i]) => /inet6 fe80:/.test(addrs(ns!, i!)) && addrs(ns!, i!, "tentative").trim() === "");
        if (ready) break;
        assert.ok(performance.now() < until, `still tentative: ${addrs(pair.nsEv, pair.ifEv)}`);
        await new Promise((r) => setTimeout(r, 20));
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
