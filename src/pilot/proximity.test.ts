import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { PilotError } from "./errors.js";
import {
  PP_NOMINAL_LATCHED_V,
  PP_NOMINAL_UNLATCHED_V,
  PP_NOMINAL_UNPLUGGED_V,
  PP_R_BUTTON_OHM,
  PP_R_LATCHED_OHM,
  PP_THRESHOLD_FAULT_ABOVE_V,
  PP_THRESHOLD_FAULT_BELOW_V,
  PP_THRESHOLD_LATCHED_MAX_V,
  PP_THRESHOLD_UNLATCHED_MAX_V,
  PP_TOLERANCE_AC,
  PP_TOLERANCE_DC,
} from "./pp-constants.js";
import {
  classifyPp,
  NOMINAL_PP_NETWORK,
  type PpConnector,
  type PpState,
  ppVoltage,
  ppVoltageRange,
} from "./proximity.js";

const CASES: [PpConnector, PpState, number][] = [
  [{ kind: "none" }, "unplugged", PP_NOMINAL_UNPLUGGED_V],
  [{ kind: "button-pressed" }, "unlatched", PP_NOMINAL_UNLATCHED_V],
  [{ kind: "latched" }, "latched", PP_NOMINAL_LATCHED_V],
];

test("nominal PP voltages match the published levels within 0.03 V and classify correctly", () => {
  for (const [conn, state, published] of CASES) {
    const v = ppVoltage(NOMINAL_PP_NETWORK, conn);
    assert.ok(Math.abs(v - published) < 0.03, `${conn.kind}: ${v} V vs published ${published} V`);
    assert.equal(classifyPp(v), state);
  }
  // the J3400 "~2.77 V unlocked" level is the unlatched level
  assert.equal(classifyPp(2.77), "unlatched");
});

test("thresholds separate the three classes over all tolerance corners at ±3 % (AC) and ±1 % (DC)", () => {
  for (const tol of [PP_TOLERANCE_AC, PP_TOLERANCE_DC]) {
    const latched = ppVoltageRange(NOMINAL_PP_NETWORK, { kind: "latched" }, tol);
    const unlatched = ppVoltageRange(NOMINAL_PP_NETWORK, { kind: "button-pressed" }, tol);
    const unplugged = ppVoltageRange(NOMINAL_PP_NETWORK, { kind: "none" }, tol);
    assert.ok(PP_THRESHOLD_FAULT_BELOW_V <= latched.min, `±${tol}: latched min ${latched.min}`);
    assert.ok(latched.max < PP_THRESHOLD_LATCHED_MAX_V, `±${tol}: latched max ${latched.max}`);
    assert.ok(PP_THRESHOLD_LATCHED_MAX_V <= unlatched.min, `±${tol}: unlatched min ${unlatched.min}`);
    assert.ok(unlatched.max < PP_THRESHOLD_UNLATCHED_MAX_V, `±${tol}: unlatched max ${unlatched.max}`);
    assert.ok(PP_THRESHOLD_UNLATCHED_MAX_V <= unplugged.min, `±${tol}: unplugged min ${unplugged.min}`);
    assert.ok(unplugged.max <= PP_THRESHOLD_FAULT_ABOVE_V, `±${tol}: unplugged max ${unplugged.max}`);
  }
});

test("the ±1 % range lies inside the ±3 % range, and both contain the nominal level", () => {
  for (const [conn] of CASES) {
    const wide = ppVoltageRange(NOMINAL_PP_NETWORK, conn, PP_TOLERANCE_AC);
    const narrow = ppVoltageRange(NOMINAL_PP_NETWORK, conn, PP_TOLERANCE_DC);
    const nominal = ppVoltage(NOMINAL_PP_NETWORK, conn);
    assert.ok(wide.min < narrow.min && narrow.min < nominal && nominal < narrow.max && narrow.max < wide.max);
  }
});

test("property: random resistors within ±3 % stay inside ppVoltageRange and classify correctly", () => {
  const scale = fc.double({ min: 1 - PP_TOLERANCE_AC, max: 1 + PP_TOLERANCE_AC, noNaN: true });
  fc.assert(
    fc.property(
      fc.constantFrom(...CASES),
      scale,
      scale,
      scale,
      scale,
      ([conn, state], su, sd, s150, s330) => {
        const net = {
          vPullUp: NOMINAL_PP_NETWORK.vPullUp,
          rPullUp: NOMINAL_PP_NETWORK.rPullUp * su,
          rPullDown: NOMINAL_PP_NETWORK.rPullDown * sd,
        };
        const raw: PpConnector =
          conn.kind === "none"
            ? conn
            : {
                kind: "ohms",
                r: PP_R_LATCHED_OHM * s150 + (conn.kind === "button-pressed" ? PP_R_BUTTON_OHM * s330 : 0),
              };
        const v = ppVoltage(net, raw);
        const range = ppVoltageRange(NOMINAL_PP_NETWORK, conn, PP_TOLERANCE_AC);
        assert.ok(
          v >= range.min - 1e-12 && v <= range.max + 1e-12,
          `${v} outside ${range.min}..${range.max}`,
        );
        assert.equal(classifyPp(v), state);
      },
    ),
    { numRuns: 300 },
  );
});

test("fault class: PP shorted to PE, pull-down missing, NaN", () => {
  assert.equal(classifyPp(ppVoltage(NOMINAL_PP_NETWORK, { kind: "ohms", r: 0 })), "fault");
  assert.equal(classifyPp(ppVoltage(NOMINAL_PP_NETWORK, { kind: "ohms", r: 20 })), "fault");
  const noPullDown = { ...NOMINAL_PP_NETWORK, rPullDown: 1e12 };
  assert.equal(classifyPp(ppVoltage(noPullDown, { kind: "none" })), "fault");
  assert.equal(classifyPp(Number.NaN), "fault");
  assert.equal(classifyPp(-0.5), "fault");
  assert.equal(
    ppVoltage(NOMINAL_PP_NETWORK, { kind: "ohms", r: Number.POSITIVE_INFINITY }),
    ppVoltage(NOMINAL_PP_NETWORK, { kind: "none" }),
  );
  assert.throws(() => ppVoltage(NOMINAL_PP_NETWORK, { kind: "ohms", r: -1 }), PilotError);
  assert.throws(() => ppVoltageRange(NOMINAL_PP_NETWORK, { kind: "latched" }, 1.5), /tolerance/);
});

test("property: PP voltage falls as the connector resistance falls (monotonic divider)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(
          ppVoltage(NOMINAL_PP_NETWORK, { kind: "ohms", r: lo }) <=
            ppVoltage(NOMINAL_PP_NETWORK, { kind: "ohms", r: hi }),
        );
      },
    ),
    { numRuns: 200 },
  );
});
