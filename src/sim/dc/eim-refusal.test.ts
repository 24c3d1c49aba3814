/**
 * EIM authorisation rejected (the backend or the operator said no): DIN 70121 ContractAuthenticationRes /
 * ISO 15118-2 AuthorizationRes FAILED ends the session with the named stop reason "authorization rejected",
 * before anything is energised, and it is not a safety trip.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DcSession } from "./session.js";

for (const protocol of ["din", "iso2"] as const) {
  test(`EIM authorisation rejected (${protocol}): named stop reason, no trip, nothing energised`, () => {
    const s = new DcSession({
      batteryKwh: 75,
      socStart: 20,
      targetSoc: 80,
      chargerKw: 250,
      protocol,
      seed: 1,
    });
    s.sim.ctl.toEvse({ kind: "authorization", result: "rejected", tMs: 0 });
    const r = s.run();
    assert.equal(r.stopReason, "authorization rejected");
    assert.deepEqual(r.safety, [], "a refusal is not a safety trip");
    assert.equal(r.energyDeliveredWh, 0);
    assert.equal(r.messages.CableCheckReq ?? 0, 0, "nothing after the authorisation");
  });
}
