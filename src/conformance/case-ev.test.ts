/**
 * The tester's EV per case: AC or DC, the -20 service and control mode, and the request that makes the
 * charge loop in each protocol and energy transfer (what the runner counts before it stops the EV).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { caseControl, caseEnergy, caseService, chargeLoopRequest, evOptionsOf } from "./case-ev.js";

test("a case's EV: DC by default; AC by ev.energy or an AC -20 service; BPT only on -20", () => {
  assert.deepEqual([caseEnergy({}), caseService({}), caseControl({})], ["dc", "dc", "scheduled"]);
  assert.equal(caseEnergy({ ev: { service: "ac-bpt" } }), "ac");
  assert.equal(caseService({ ev: { energy: "ac" } }), "ac");
  assert.deepEqual(evOptionsOf({ ev: { service: "dc-bpt", control: "dynamic" } }, "iso20"), {
    energy: "dc",
    iso20ControlMode: "dynamic",
    bidirectional: true,
  });
  assert.deepEqual(evOptionsOf({ ev: { energy: "ac" } }, "iso2"), { energy: "ac", bidirectional: false });
  assert.deepEqual(evOptionsOf({}, "din"), { energy: "dc", bidirectional: false });
});

test("the charge-loop request: CurrentDemandReq, ChargingStatusReq (ISO-2 AC), DC_/AC_ChargeLoopReq (-20)", () => {
  assert.equal(chargeLoopRequest("din", "dc"), "CurrentDemandReq");
  assert.equal(chargeLoopRequest("iso2", "dc"), "CurrentDemandReq");
  assert.equal(chargeLoopRequest("iso2", "ac"), "ChargingStatusReq");
  assert.equal(chargeLoopRequest("iso20", "dc"), "DC_ChargeLoopReq");
  assert.equal(chargeLoopRequest("iso20", "ac"), "AC_ChargeLoopReq");
});
