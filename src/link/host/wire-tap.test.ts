/**
 * Wire tap of the hosts (`--pcap`): the SLAC port wrapper reports every frame once, in both
 * directions, however many handlers listen; the session driver reports open, every V2GTP message it
 * sent / received (header included) and the close, so each side's tap mirrors the other's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createVirtualClock } from "../../machine/index.js";
import { createPortPair } from "../../slac/run/index.js";
import { decodeV2gtpMessage } from "../../v2g/index.js";
import { createMemoryLink } from "../memory.js";
import { runEvccSession } from "./evcc-session.js";
import { runSeccSession } from "./secc-session.js";
import type { SessionSummary } from "./summary.js";
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

test("session taps: open, every V2GTP message both ways, close — EVSE tx = EV rx and vice versa", async () => {
  const clock = createVirtualClock();
  const [a, b] = createMemoryLink({ latencyMs: 2, timers: clock });
  const tapOf = (list: HostWireEvent[]) => (_t: number, e: HostWireEvent) => list.push(e);
  const evseWire: HostWireEvent[] = [];
  const evWire: HostWireEvent[] = [];
  const secc = runSeccSession(a, {
    mode: "dc",
    config: { protocols: ["din"] },
    timers: clock,
    tap: tapOf(evseWire),
  });
  const ev = runEvccSession(b, {
    mode: "dc",
    config: { protocols: ["din"] },
    readings: { fullSocPercent: 51 },
    plant: { socPercent: 50, battery: { capacityWh: 2_000 } },
    timers: clock,
    tap: tapOf(evWire),
  });
  let e: SessionSummary | undefined;
  let s: SessionSummary | undefined;
  void ev.done.then((x) => {
    e = x;
  });
  void secc.done.then((x) => {
    s = x;
  });
  await clock.run(() => e !== undefined && s !== undefined, 10 * 60_000);
  assert.ok(e && s);
  assert.equal(s.stopReason, "terminated", s.stopDetail);
  for (const [wire, sum, conn] of [
    [evseWire, s, a],
    [evWire, e, b],
  ] as const) {
    assert.deepEqual(wire[0], {
      kind: "tcp-open",
      conn: conn.id,
      transport: "memory",
      local: conn.local,
      remote: conn.remote,
    });
    assert.equal(wire.at(-1)?.kind, "tcp-close");
    const msgs = wire.filter((x) => x.kind === "v2gtp");
    assert.equal(msgs.length, sum.messages);
    for (const m of msgs) {
      assert.deepEqual(m.local, conn.local);
      decodeV2gtpMessage(m.message); // a whole V2GTP message: header + exactly its payload
    }
  }
  const bytes = (w: HostWireEvent[], dir: "tx" | "rx") =>
    w.flatMap((x) => (x.kind === "v2gtp" && x.dir === dir ? [Buffer.from(x.message).toString("hex")] : []));
  assert.deepEqual(bytes(evseWire, "tx"), bytes(evWire, "rx"));
  assert.deepEqual(bytes(evWire, "tx"), bytes(evseWire, "rx"));
  assert.ok(bytes(evWire, "tx").length > 5);
  // after SessionStopRes both machines close their own end (a simultaneous close): each tap says "local"
  assert.deepEqual(evseWire.at(-1), { kind: "tcp-close", conn: a.id, by: "local" });
  assert.deepEqual(evWire.at(-1), { kind: "tcp-close", conn: b.id, by: "local" });
});
