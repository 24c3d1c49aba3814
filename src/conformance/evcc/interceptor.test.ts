/**
 * The EVCC tester's interceptor on a connection (nacs plays the SECC): responses pass until the trigger,
 * then the deviation — a field changed (once, or on every later response of that name), a response held
 * back (the connection kept open when the controller closes it, until the case is released), sent late, or
 * an operator input on the tester's EVSE made just before the response (unchanged) goes out.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createMemoryLink } from "../../link/memory.js";
import type { EvseTesterInput, TesterBehaviour, TraceEvent } from "../types.js";
import { bytesOfHex, decodeWire, encodeWire } from "../wire-codec.js";
import { createEvccInterceptor } from "./interceptor.js";

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
const SID = bytesOfHex("0102030405060708");
const STATUS = {
  DC_EVSEStatus: {
    EVSEIsolationStatus: "Valid",
    EVSEStatusCode: "EVSE_Ready",
    NotificationMaxDelay: 0,
    EVSENotification: "None",
  },
};
const res = (name: string, processing = "Finished") => ({
  name,
  payloadType: 0x8001,
  bytes: encodeWire("iso2", SID, "CableCheckRes", {
    ResponseCode: "OK",
    ...STATUS,
    EVSEProcessing: processing,
  }),
});

function setup(behaviour: TesterBehaviour, onEvseInput?: (i: EvseTesterInput) => void) {
  const events: TraceEvent[] = [];
  const hook = createEvccInterceptor({
    protocol: "iso2",
    behaviour,
    now: () => 0,
    record: (e) => events.push(e),
    ...(onEvseInput && { onEvseInput }),
  });
  const [ours, peer] = createMemoryLink();
  const atPeer: Record<string, unknown>[] = [];
  peer.onMessage((m) => atPeer.push(decodeWire("iso2", m.payload).body));
  return { hook, ours, peer, atPeer, events };
}

test("mutate: only the named occurrence changes; mutate-from: that one and every later one", async () => {
  const once = setup({
    kind: "mutate",
    at: { message: "CableCheckRes", occurrence: 2 },
    set: { EVSEProcessing: "Ongoing" },
  });
  for (let i = 0; i < 3; i++) once.hook.send(once.ours, res("CableCheckRes"));
  const from = setup({
    kind: "mutate-from",
    at: { message: "CableCheckRes", occurrence: 2 },
    set: { EVSEProcessing: "Ongoing" },
  });
  for (let i = 0; i < 3; i++) from.hook.send(from.ours, res("CableCheckRes"));
  await tick();
  assert.deepEqual(
    once.atPeer.map((b) => b.EVSEProcessing),
    ["Finished", "Ongoing", "Finished"],
  );
  assert.deepEqual(
    from.atPeer.map((b) => b.EVSEProcessing),
    ["Finished", "Ongoing", "Ongoing"],
  );
  assert.equal(once.hook.deviationAtMs, 0);
  assert.equal(once.events.filter((e) => e.kind === "tx" && e.deviation).length, 1);
});

test("silent: the response and everything after it held; the controller's close kept until release", async () => {
  const s = setup({ kind: "silent", at: { message: "CableCheckRes" } });
  s.hook.send(s.ours, res("CableCheckRes"));
  s.hook.send(s.ours, res("PreChargeRes"));
  assert.equal(s.hook.close?.(s.ours, "controller"), true, "kept open");
  await tick();
  assert.deepEqual(s.atPeer, []);
  assert.equal(s.ours.isClosed, false);
  s.hook.release();
  await tick();
  assert.equal(s.ours.isClosed, true);
});

test("delay: the response goes out that much later (not at all once the case is released)", async () => {
  const s = setup({ kind: "delay", at: { message: "CableCheckRes" }, ms: 40 });
  s.hook.send(s.ours, res("CableCheckRes"));
  await tick(10);
  assert.equal(s.atPeer.length, 0);
  await tick(60);
  assert.equal(s.atPeer.length, 1);
  const r = setup({ kind: "delay", at: { message: "CableCheckRes" }, ms: 40 });
  r.hook.send(r.ours, res("CableCheckRes"));
  r.hook.release();
  await tick(60);
  assert.equal(r.atPeer.length, 0);
});

test("evse-input: made once, before the unchanged response goes out; without an EVSE a tester error", async () => {
  const order: string[] = [];
  const s = setup(
    { kind: "evse-input", at: { message: "CableCheckRes", occurrence: 1 }, input: "emergency-stop" },
    (i) => order.push(i),
  );
  s.ours.onMessage(() => {});
  s.hook.send(s.ours, res("CableCheckRes"));
  s.hook.send(s.ours, res("CableCheckRes"));
  await tick();
  assert.deepEqual(order, ["emergency-stop"]);
  assert.equal(s.atPeer.length, 2);
  assert.ok(s.events.some((e) => e.kind === "evse-input" && e.input === "emergency-stop"));
  const errors: string[] = [];
  const n = createEvccInterceptor({
    protocol: "iso2",
    behaviour: { kind: "evse-input", at: { message: "CableCheckRes" }, input: "stop-charging" },
    now: () => 0,
    record: () => {},
    onTesterError: (m) => errors.push(m),
  });
  const [ours] = createMemoryLink();
  n.send(ours, res("CableCheckRes"));
  assert.match(errors[0] ?? "", /stop-charging/);
});

test("markDeviation: an off-wire deviation (SDP, TLS) is timed once", () => {
  const s = setup({ kind: "sdp-drop", at: { message: "SDP" }, count: 2 });
  assert.equal(s.hook.deviationAtMs, null);
  s.hook.markDeviation();
  s.hook.markDeviation();
  assert.equal(s.hook.deviationAtMs, 0);
});
