/**
 * The interceptor on a connection: requests pass until the trigger, then the deviation; a repeated
 * request's second answer is kept from the controller; an injected request's answer is kept and the
 * request itself follows it; a silent tester keeps the connection open when the controller closes it
 * (until the case is released); a connection the tester drops is kept from the controller; a board action
 * is carried out once, at the trigger, before the request (unchanged) goes out.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createMemoryLink } from "../link/memory.js";
import { createInterceptor } from "./interceptor.js";
import type { BoardAction, TesterBehaviour, TraceEvent } from "./types.js";
import { bytesOfHex, decodeWire, encodeWire } from "./wire-codec.js";

const tick = () => new Promise((r) => setTimeout(r, 5));
const SID = bytesOfHex("0102030405060708");
const STATUS = { DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 50 } };
const BODIES: Record<string, Record<string, unknown>> = {
  ServiceDiscoveryReq: {},
  CableCheckReq: STATUS,
  SessionStopReq: { ChargingSession: "Terminate" },
  PaymentServiceSelectionReq: {
    SelectedPaymentOption: "ExternalPayment",
    SelectedServiceList: { SelectedService: [{ ServiceID: 1 }] },
  },
};
/** A request the controller hands over: its name, and valid bytes (CableCheckReq's for the others). */
const req = (name: string) => ({
  name,
  payloadType: 0x8001,
  bytes: encodeWire("iso2", SID, BODIES[name] ? name : "CableCheckReq", BODIES[name] ?? STATUS),
});

function setup(
  behaviour: TesterBehaviour,
  extra: {
    silentAfterDeviation?: boolean;
    onBoardAction?: (a: BoardAction) => void;
    onTesterError?: (m: string) => void;
  } = {},
) {
  const events: TraceEvent[] = [];
  const hook = createInterceptor({
    protocol: "iso2",
    behaviour,
    now: () => 0,
    record: (e) => events.push(e),
    ...extra,
  });
  const [ours, peer] = createMemoryLink();
  const atPeer: string[] = [];
  peer.onMessage((m) => atPeer.push(decodeWire("iso2", m.payload).name));
  return { hook, ours, peer, atPeer, events };
}

test("requests pass until the trigger; the deviation applies once, to the named occurrence", async () => {
  const s = setup({
    kind: "session-id",
    at: { message: "CurrentDemandReq", occurrence: 2 },
    sessionIdHex: "ff",
  });
  for (let i = 0; i < 3; i++) s.hook.send(s.ours, req("CurrentDemandReq"));
  await tick();
  assert.equal(s.atPeer.length, 3);
  const tx = s.events.filter((e) => e.kind === "tx");
  assert.deepEqual(
    tx.map((e) => e.kind === "tx" && (e.deviation ?? false)),
    [false, true, false],
  );
  assert.equal(s.hook.deviationAtMs, 0);
});

test("repeat: two copies on the wire, the SECC's second answer is kept from the controller", async () => {
  const s = setup({ kind: "repeat", at: { message: "ServiceDiscoveryReq" } });
  s.hook.send(s.ours, req("ServiceDiscoveryReq"));
  await tick();
  assert.deepEqual(s.atPeer, ["ServiceDiscoveryReq", "ServiceDiscoveryReq"]);
  const res = { payloadType: 0x8001, payload: new Uint8Array(1) };
  assert.equal(s.hook.receive?.(s.ours, res), true);
  assert.equal(s.hook.receive?.(s.ours, res), false);
  assert.equal(s.hook.receive?.(s.ours, res), true);
});

test("inject: the injected request first; its answer kept; then the controller's request", async () => {
  const s = setup({
    kind: "inject",
    at: { message: "PaymentServiceSelectionReq" },
    message: "ServiceDetailReq",
    body: { ServiceID: 9999 },
  });
  s.hook.send(s.ours, req("PaymentServiceSelectionReq"));
  await tick();
  assert.deepEqual(s.atPeer, ["ServiceDetailReq"]);
  assert.equal(s.hook.receive?.(s.ours, { payloadType: 0x8001, payload: new Uint8Array(1) }), false);
  await tick();
  assert.deepEqual(s.atPeer, ["ServiceDetailReq", "PaymentServiceSelectionReq"]);
});

test("inject with silentAfterDeviation: the controller's request never follows", async () => {
  const s = setup(
    {
      kind: "inject",
      at: { message: "PaymentServiceSelectionReq" },
      message: "ServiceDetailReq",
      body: { ServiceID: 9999 },
    },
    { silentAfterDeviation: true },
  );
  s.hook.send(s.ours, req("PaymentServiceSelectionReq"));
  s.hook.receive?.(s.ours, { payloadType: 0x8001, payload: new Uint8Array(1) });
  s.hook.send(s.ours, req("AuthorizationReq"));
  await tick();
  assert.deepEqual(s.atPeer, ["ServiceDetailReq"]);
});

test("silent: nothing more is sent, the connection is kept open when the controller closes it, released at the end", async () => {
  const s = setup({ kind: "silent", at: { message: "CableCheckReq" } });
  s.hook.send(s.ours, req("SessionStopReq"));
  s.hook.send(s.ours, req("CableCheckReq"));
  s.hook.send(s.ours, req("CableCheckReq"));
  await tick();
  assert.deepEqual(s.atPeer, ["SessionStopReq"]);
  assert.equal(s.hook.close?.(s.ours, "EV timeout"), true);
  assert.equal(s.hook.holding, true);
  s.hook.release();
  await tick();
  assert.equal(s.ours.isClosed, true);
  assert.equal(s.hook.holding, false);
});

test("drop: the tester closes the connection instead of sending, and says so on the trace", async () => {
  const s = setup({ kind: "drop", at: { message: "CurrentDemandReq" } });
  s.hook.send(s.ours, req("CurrentDemandReq"));
  await tick();
  assert.equal(s.ours.isClosed, true);
  assert.deepEqual(s.atPeer, []);
  assert.ok(s.events.some((e) => e.kind === "close" && e.by === "tester"));
});

test("a deviation the tester cannot build is reported, and the request goes out unchanged", async () => {
  const errors: string[] = [];
  const hook = createInterceptor({
    protocol: "iso2",
    behaviour: { kind: "replay", at: { message: "CableCheckReq" }, message: "PowerDeliveryReq" },
    now: () => 0,
    record: () => {},
    onTesterError: (m) => errors.push(m),
  });
  const [ours, peer] = createMemoryLink();
  const got: string[] = [];
  peer.onMessage((m) => got.push(decodeWire("iso2", m.payload).name));
  hook.send(ours, req("CableCheckReq"));
  await tick();
  assert.deepEqual(got, ["CableCheckReq"]);
  assert.match(errors[0] ?? "", /no PowerDeliveryReq was sent/);
  assert.equal(hook.deviationAtMs, null);
});

test("drop: the tester's own close is kept from the controller (it goes on waiting), a close by the SECC is not", async () => {
  const s = setup({ kind: "drop", at: { message: "CurrentDemandReq", occurrence: 2 } });
  const [other] = createMemoryLink();
  s.hook.send(s.ours, req("CurrentDemandReq"));
  assert.equal(s.hook.closed?.(s.ours), true, "not yet dropped");
  s.hook.send(s.ours, req("CurrentDemandReq"));
  await tick();
  assert.equal(s.ours.isClosed, true);
  assert.equal(s.hook.closed?.(s.ours), false, "the controller is not told of the tester's drop");
  other.close("by the SECC");
  assert.equal(s.hook.closed?.(other), true, "another connection's close reaches the controller");
});

test("after release, the controller's close goes through (a case over while the EV still waits)", async () => {
  const s = setup({ kind: "silent", at: { message: "CableCheckReq" } });
  s.hook.send(s.ours, req("CableCheckReq"));
  s.hook.release();
  assert.equal(s.hook.close?.(s.ours, "EV host closed"), false);
  assert.equal(s.hook.holding, false);
});

test("board action: carried out once at the trigger, before the unchanged request; no board: a tester error", async () => {
  const order: string[] = [];
  const s = setup(
    { kind: "board", at: { message: "CurrentDemandReq", occurrence: 2 }, action: "s2-open" },
    {
      onBoardAction: (a) =>
        order.push(`board ${a} after ${s.events.filter((e) => e.kind === "tx").length} requests`),
    },
  );
  for (let i = 0; i < 3; i++) s.hook.send(s.ours, req("CurrentDemandReq"));
  await tick();
  assert.deepEqual(order, ["board s2-open after 1 requests"]);
  assert.equal(s.atPeer.length, 3, "the request itself goes out");
  const kinds = s.events.map((e) => (e.kind === "tx" ? `tx${e.deviation ? "*" : ""}` : e.kind));
  assert.deepEqual(kinds, ["tx", "board", "tx*", "tx"]);
  assert.equal(s.hook.deviationAtMs, 0);

  const errors: string[] = [];
  const n = setup(
    { kind: "board", at: { message: "CurrentDemandReq" }, action: "s2-open" },
    { onTesterError: (m) => errors.push(m) },
  );
  n.hook.send(n.ours, req("CurrentDemandReq"));
  await tick();
  assert.deepEqual(errors, ["CurrentDemandReq: no board port for s2-open"]);

  // a board that refuses the action: a tester error, no crash, the request still goes out
  const refused: string[] = [];
  const r = setup(
    { kind: "board", at: { message: "CurrentDemandReq" }, action: "s2-open" },
    {
      onBoardAction: () => {
        throw new Error("board closed");
      },
      onTesterError: (m) => refused.push(m),
    },
  );
  r.hook.send(r.ours, req("CurrentDemandReq"));
  await tick();
  assert.deepEqual(refused, ["CurrentDemandReq: board action s2-open: board closed"]);
  assert.equal(r.atPeer.length, 1);
});
