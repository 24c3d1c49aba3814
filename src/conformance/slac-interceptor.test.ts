/**
 * The SLAC frame interceptor's own rules: mutations name the field and the rule when they cannot be built
 * (the case is then inconclusive: the tester failed, not the SUT), held frames are on the trace but not on
 * the wire, frames that are not SLAC pass through as they are, and the SUT's frames are recorded (the
 * tester's own, echoed by a raw socket, are not).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeSlacFrame, encodeSlacFrame, slacParmCnf, slacParmReq } from "../slac/index.js";
import type { FramePort } from "../slac/run/index.js";
import { createSlacInterceptor, mutateSlacFrame } from "./slac-interceptor.js";
import type { SlacTesterBehaviour, TraceEvent } from "./types.js";

const EV = Uint8Array.of(2, 0, 0, 0, 0, 0x0e);
const EVSE = Uint8Array.of(2, 0, 0, 0, 0, 0x05);
const RUN = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

function setup(behaviour: SlacTesterBehaviour) {
  const wire: Uint8Array[] = [];
  let deliver: (b: Uint8Array) => void = () => {};
  const port: FramePort = {
    mac: EV,
    send: (b) => wire.push(b),
    onFrame: (h) => {
      deliver = h;
      return () => {};
    },
  };
  const events: TraceEvent[] = [];
  const errors: string[] = [];
  const icpt = createSlacInterceptor({
    port,
    behaviour,
    now: () => 0,
    record: (e) => events.push(e),
    onTesterError: (m) => errors.push(m),
  });
  const got: Uint8Array[] = [];
  icpt.onFrame((b) => got.push(b));
  return { icpt, wire, events, errors, got, deliver: (b: Uint8Array) => deliver(b) };
}

test("SLAC interceptor: a mutation that cannot be built names the field and the rule; the frame goes out unchanged", () => {
  const req = slacParmReq(EV, RUN);
  assert.throws(() => mutateSlacFrame(req, { runId: "zz" }), /not hex/);
  assert.throws(
    () => mutateSlacFrame(req, { runId: "0102" }),
    /CM_SLAC_PARM\.REQ\.runId: 2 bytes, the field has 8/,
  );
  assert.throws(() => mutateSlacFrame(req, { securityType: "1" }), /securityType: must be a number/);
  assert.throws(() => mutateSlacFrame(req, { nope: 1 }), /no field nope/);
  const s = setup({ kind: "mutate", frame: "CM_SLAC_PARM.REQ", set: { runId: "01" } });
  s.icpt.send(encodeSlacFrame(req));
  assert.equal(s.wire.length, 1);
  const out = decodeSlacFrame(s.wire[0] as Uint8Array).mme;
  assert.ok(out.kind === "CM_SLAC_PARM.REQ");
  assert.deepEqual(out.runId, RUN);
  assert.match(s.errors[0] ?? "", /runId: 1 bytes/);
});

test("SLAC interceptor: withheld frames are on the trace (held), not on the wire; a non-SLAC frame passes as it is", () => {
  const s = setup({ kind: "withhold", frame: "CM_SLAC_PARM.REQ", from: 2, count: 1 });
  for (let i = 0; i < 3; i++) s.icpt.send(encodeSlacFrame(slacParmReq(EV, RUN)));
  assert.equal(s.wire.length, 2);
  assert.deepEqual(
    s.events.map((e) => e.kind === "slac" && (e.held ?? false)),
    [false, true, false],
  );
  s.icpt.send(Uint8Array.of(1, 2, 3));
  assert.deepEqual(s.wire.at(-1), Uint8Array.of(1, 2, 3));
});

test("SLAC interceptor: the SUT's frames are recorded with their fields; the tester's own echoed frames are not", () => {
  const s = setup({ kind: "observe" });
  s.deliver(encodeSlacFrame(slacParmCnf(EVSE, EV, RUN)));
  s.deliver(encodeSlacFrame(slacParmReq(EV, RUN)));
  s.deliver(Uint8Array.of(0xff)); // undecodable: handed on, not recorded, no throw
  assert.equal(s.got.length, 3);
  const rx = s.events.filter((e) => e.kind === "slac" && e.dir === "rx");
  assert.equal(rx.length, 1);
  const e = rx[0];
  assert.ok(e?.kind === "slac");
  assert.equal(e.name, "CM_SLAC_PARM.CNF");
  assert.equal(e.fields.runId, "0102030405060708");
  assert.equal(e.fields.numSounds, 10);
});
