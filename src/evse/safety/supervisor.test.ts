import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  checkOutput,
  initialSafety,
  overVoltageThresholdV,
  SAFETY_CONTACTOR_OPEN_MAX_A,
  type SafetyEffect,
  type SafetyState,
  safetyContactors,
  safetyMeasure,
  safetyReset,
  safetyTrip,
  unlockPermitted,
} from "./index.js";

test("over-voltage thresholds follow IEC 61851-23 Table 103 (550/825/935/1100/1375 V)", () => {
  assert.equal(overVoltageThresholdV(400), 550);
  assert.equal(overVoltageThresholdV(500), 550);
  assert.equal(overVoltageThresholdV(501), 825);
  assert.equal(overVoltageThresholdV(806), 935);
  assert.equal(overVoltageThresholdV(900), 1100);
  assert.equal(overVoltageThresholdV(1001), 1375);
});

test("checkOutput: OV against the negotiated (lower) maximum, OC above negotiated current + margin", () => {
  const l = {
    evMaxVoltageV: 403,
    evseMaxVoltageV: 1000,
    evMaxCurrentA: 300,
    evseMaxCurrentA: 400,
    regulationToleranceA: 5,
  };
  assert.equal(checkOutput(l, 549, 100), null);
  assert.equal(checkOutput(l, 551, 100)?.fault, "over-voltage");
  assert.equal(checkOutput(l, 400, 329), null);
  assert.equal(checkOutput(l, 400, 331)?.fault, "over-current");
});

test("trip: output off in the same step, first fault wins, contactors wait for < 5 A", () => {
  let s = initialSafety();
  [s] = safetyContactors(s, true);
  assert.equal(s.contactorsCmd, true);
  [s] = safetyMeasure(s, 700, 300);
  const [t, fx] = safetyTrip(s, "emergency-stop", "button", 1000);
  assert.deepEqual(fx[0], { kind: "output-off", fault: "emergency-stop" });
  assert.equal(t.contactorsCmd, true, "still closed: 300 A flowing");
  const [t2, fx2] = safetyTrip(t, "over-current", "x", 1001);
  assert.equal(t2.trip?.fault, "emergency-stop");
  assert.deepEqual(fx2, []);
  const [t3, fx3] = safetyMeasure(t2, 700, 4.9);
  assert.deepEqual(fx3, [{ kind: "contactors", closed: false }]);
  const [t4, fx4] = safetyContactors(t3, true);
  assert.equal(t4.contactorsCmd, false, "no re-close after a trip");
  assert.equal(fx4[0]?.kind, "log");
  assert.equal(unlockPermitted(59.9), true);
  assert.equal(unlockPermitted(60), false);
});

test("property: the supervisor never commands the contactors open while ≥ 5 A flows", () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant("want" as const), closed: fc.boolean() }),
    fc.record({ k: fc.constant("measure" as const), i: fc.double({ min: 0, max: 600, noNaN: true }) }),
    fc.record({ k: fc.constant("trip" as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      let s: SafetyState = initialSafety();
      for (const o of ops) {
        const before = s;
        let fx: SafetyEffect[];
        if (o.k === "want") [s, fx] = safetyContactors(s, o.closed);
        else if (o.k === "measure") [s, fx] = safetyMeasure(s, 500, o.i);
        else [s, fx] = safetyTrip(s, "emergency-stop", "p", 0);
        for (const e of fx) {
          if (e.kind === "contactors" && !e.closed) assert.ok(s.currentA < SAFETY_CONTACTOR_OPEN_MAX_A);
          if (e.kind === "contactors" && e.closed) assert.equal(before.trip, null);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test("safetyReset: refused while energised; latching faults need the operator", () => {
  let s = initialSafety();
  [s] = safetyContactors(s, true);
  [s] = safetyMeasure(s, 700, 300);
  [s] = safetyTrip(s, "over-current", "x", 0);
  assert.equal(safetyReset(s).trip?.fault, "over-current", "300 A still flowing");
  [s] = safetyMeasure(s, 700, 0);
  assert.equal(s.contactorsCmd, false);
  assert.equal(safetyReset(s, false).trip, null, "non-latching: cleared on unplug");
  let e = initialSafety();
  [e] = safetyTrip(e, "emergency-stop", "button", 0);
  assert.equal(safetyReset(e, false).trip?.fault, "emergency-stop", "latched");
  assert.equal(safetyReset(e, true).trip, null, "operator reset");
});

test("checkOutput: the limits apply in both directions — a discharge current beyond the negotiated discharge maximum trips", () => {
  const l = {
    evMaxVoltageV: 500,
    evseMaxVoltageV: 1000,
    evMaxCurrentA: 200,
    evseMaxCurrentA: 400,
    regulationToleranceA: 5,
    evMaxDischargeCurrentA: 150,
    evseMaxDischargeCurrentA: 100,
  };
  assert.equal(checkOutput(l, 400, -100), null);
  const bad = checkOutput(l, 400, -130);
  assert.equal(bad?.fault, "over-current");
  assert.match(bad?.detail ?? "", /discharge 130\.0 A > 110\.0 A \(negotiated 100 A\)/);
  // without declared discharge limits the charge limits bound the discharge current too
  const { evMaxDischargeCurrentA: _a, evseMaxDischargeCurrentA: _b, ...plain } = l;
  assert.equal(checkOutput(plain, 400, -230)?.fault, "over-current");
});
