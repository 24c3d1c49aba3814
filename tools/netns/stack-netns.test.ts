/**
 * Issue 5 §4: our EVSE and our EV in two network namespaces joined by a veth run the whole stack —
 * SLAC over raw frames, SDP multicast and the V2G session over IPv6 link-local on the same veth — as
 * `nacs evse --iface veth-evse` and `nacs ev --iface veth-ev` (no `--no-slac`). Namespaces are removed
 * afterwards, also on failure. Skipped with a printed reason when not root or without the raw addon.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { rawAddonPath } from "../../src/link/raw/addon.js";
import { listNetns, netnsSkipReason } from "./netns.js";
import { runStackNetns, type StackNetnsResult } from "./stack.js";

const skip =
  netnsSkipReason() ??
  (existsSync(rawAddonPath()) ? undefined : `raw Ethernet addon not built (${rawAddonPath()}): run npm ci`);
if (skip) console.log(`# netns stack test skipped: ${skip}`);

const ours = () => listNetns().filter((n) => n.endsWith(`-${process.pid}`));

for (const [label, opts] of [
  ["ISO-2 DC over TCP", { protocol: "iso2" }],
  ["DIN DC over TLS", { protocol: "din", tls: true }],
] as const) {
  test(
    `netns: nacs evse ↔ nacs ev with SLAC, SDP and a ${label} session over the veth`,
    { skip },
    async () => {
      let r: StackNetnsResult | undefined;
      try {
        r = await runStackNetns(opts);
      } finally {
        assert.deepEqual(ours(), [], "namespaces of this run are gone");
      }
      for (const s of [r.ev, r.evse]) {
        assert.equal(s.protocol, opts.protocol);
        assert.equal(s.stopReason, "terminated");
        assert.ok(s.energyDeliveredWh > 0);
      }
      assert.equal(r.ev.messages, r.evse.messages);
      assert.match(r.evStderr, /SLAC matched/);
      assert.match(r.evStderr, /sdp: SECC at \[fe80:/, "SDP answered with the EVSE's link-local address");
      console.log(
        `# ${label}: EV process start → session end ${r.evWallMs.toFixed(0)} ms, ${r.ev.messages} messages, SECC median ${r.evse.responseTimesMs.median} ms`,
      );
    },
  );
}

test("netns: a stack run that cannot finish still removes its namespaces", { skip }, async () => {
  await assert.rejects(runStackNetns({ timeoutMs: 1 }), /timed out|exited first/);
  assert.deepEqual(ours(), []);
});
