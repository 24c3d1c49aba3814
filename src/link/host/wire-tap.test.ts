/**
 * Wire tap of the hosts (`--pcap`): the SLAC port wrapper reports every frame once, in both directions,
 * however many handlers listen. (The network ports' taps of SDP, V2GTP, open and close:
 * network/network.test.ts.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPortPair } from "../../slac/run/index.js";
import { type HostWireEvent, tapFramePort, wallClockMs } from "./wire-tap.js";

const macA = Uint8Array.of(2, 0, 0, 0, 0, 0xa);
const macB = Uint8Array.of(2, 0, 0, 0, 0, 0xb);

test("tapFramePort: each frame sent and received is reported once, with a rising wall-clock time", async () => {
  const pair = createPortPair({ macA, macB });
  const seen: { atMs: number; e: HostWireEvent }[] = [];
  const a = tapFramePort(pair.a, (atMs, e) => seen.push({ atMs, e }));
  assert.deepEqual(a.mac, macA);
  const got: number[] = [];
  const off1 = a.onFrame((f) => got.push(f[0]!));
  const off2 = a.onFrame((f) => got.push(100 + f[0]!));
  const before = wallClockMs();
  a.send(Uint8Array.of(1, 2, 3));
  pair.b.send(Uint8Array.of(7, 8));
  await new Promise((r) => setTimeout(r, 5));
  off1();
  pair.b.send(Uint8Array.of(9));
  await new Promise((r) => setTimeout(r, 5));
  off2();
  pair.b.send(Uint8Array.of(11)); // nobody listens: not received, not reported
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got, [7, 107, 109]);
  assert.deepEqual(
    seen.map((s) => (s.e.kind === "slac" ? [s.e.dir, [...s.e.frame]] : s.e.kind)),
    [
      ["tx", [1, 2, 3]],
      ["rx", [7, 8]],
      ["rx", [9]],
    ],
  );
  assert.deepEqual(
    pair.sent.a.map((f) => [...f]),
    [[1, 2, 3]],
  );
  for (const [i, s] of seen.entries()) {
    assert.ok(s.atMs >= before && s.atMs <= wallClockMs());
    if (i > 0) assert.ok(s.atMs >= seen[i - 1]!.atMs);
  }
});
