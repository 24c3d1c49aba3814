import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  cpPlateaus,
  cpSampleFor,
  type EvCpLoad,
  evLoadForState,
  evLoadResistance,
  NOMINAL_EV_LOAD,
  NOMINAL_EVSE_SOURCE,
  nominalStateOf,
} from "./circuit.js";
import { PilotError } from "./errors.js";
import { CP_TOLERANCE_RANGES, cpToleranceCorners } from "./tolerance.js";

const close = (a: number, b: number, eps = 1e-9) => Math.abs(a - b) <= eps;

// SAE J1772 ranges "including tolerances" (florianuhlemann/J1772 J1772.h) — independent of our formula.
const J1772_RANGES = { B: [8.36, 9.56], C: [5.48, 6.49], D: [2.62, 3.25] } as const;
// Our derived corner calculation (source ±5 %, R1 ±3 %, EV resistors ±3 %, diode 0.55–0.85 V).
const DERIVED_CORNERS = { B: [8.37, 9.59], C: [5.47, 6.53], D: [2.59, 3.28] } as const;

test("nominal plateaus of B, C, D lie inside the J1772 ranges and the low plateau is the source low", () => {
  for (const st of ["B", "C", "D"] as const) {
    const p = cpPlateaus(NOMINAL_EVSE_SOURCE, evLoadForState(st));
    const [lo, hi] = J1772_RANGES[st];
    assert.ok(p.high >= lo && p.high <= hi, `${st}: ${p.high} not in ${lo}..${hi}`);
    assert.equal(p.low, NOMINAL_EVSE_SOURCE.vLow);
  }
  assert.deepEqual(cpPlateaus(NOMINAL_EVSE_SOURCE, null), { high: 12, low: -12 });
});

test("state-D load is rFixed ∥ rVent ≈ 246 Ω (nsayer/ev_sim) whether or not S2 is also closed", () => {
  const d = evLoadForState("D")!;
  const r = evLoadResistance(d);
  assert.ok(r > 240 && r < 247, `D load ${r}`);
  assert.equal(evLoadResistance({ ...d, s2Closed: false }), r);
  const c = evLoadResistance(evLoadForState("C")!);
  assert.ok(close(c, 881.7, 0.1), `C load ${c}`);
});

test("corner min/max of the high plateau reproduce the derived corner calculation within 0.01 V", () => {
  const corners = cpToleranceCorners();
  assert.equal(corners.length, 128);
  for (const st of ["B", "C", "D"] as const) {
    const highs = corners.map((c) => cpPlateaus(c.src, evLoadForState(st, c.ev)).high);
    const [lo, hi] = DERIVED_CORNERS[st];
    assert.ok(Math.abs(Math.min(...highs) - lo) < 0.01, `${st} min ${Math.min(...highs)} vs ${lo}`);
    assert.ok(Math.abs(Math.max(...highs) - hi) < 0.01, `${st} max ${Math.max(...highs)} vs ${hi}`);
  }
});

const arbPoint = fc.record({
  vHigh: fc.double({ min: CP_TOLERANCE_RANGES.vHigh[0], max: CP_TOLERANCE_RANGES.vHigh[1], noNaN: true }),
  vLow: fc.double({ min: CP_TOLERANCE_RANGES.vLow[0], max: CP_TOLERANCE_RANGES.vLow[1], noNaN: true }),
  r1: fc.double({ min: CP_TOLERANCE_RANGES.r1[0], max: CP_TOLERANCE_RANGES.r1[1], noNaN: true }),
  r: fc.double({ min: 100, max: 10_000, noNaN: true }),
  vd: fc.double({ min: 0.55, max: 0.85, noNaN: true }),
});

test("property: the node voltage satisfies Kirchhoff's current law on both plateaus", () => {
  fc.assert(
    fc.property(arbPoint, ({ vHigh, vLow, r1, r, vd }) => {
      const ev: EvCpLoad = { ...NOMINAL_EV_LOAD, rFixed: r, diodeDrop: vd };
      const p = cpPlateaus({ vHigh, vLow, r1 }, ev);
      // positive half: current through R1 equals current through the diode into R
      assert.ok(close((vHigh - p.high) / r1, (p.high - vd) / r, 1e-9));
      // negative half: diode blocks, no current, node at the source level
      assert.equal(p.low, vLow);
      const s = cpPlateaus({ vHigh, vLow, r1 }, { ...ev, diode: "shorted" });
      assert.ok(close((vHigh - s.high) / r1, s.high / r, 1e-9));
      assert.ok(close((vLow - s.low) / r1, s.low / r, 1e-9));
    }),
    { numRuns: 200 },
  );
});

test("faults: CP short to PE, CP open, diode open, diode shorted", () => {
  const b = evLoadForState("B")!;
  assert.deepEqual(cpPlateaus(NOMINAL_EVSE_SOURCE, b, "cp-short-pe"), { high: 0, low: 0 });
  assert.deepEqual(cpPlateaus(NOMINAL_EVSE_SOURCE, b, "cp-open"), { high: 12, low: -12 });
  assert.deepEqual(cpPlateaus(NOMINAL_EVSE_SOURCE, { ...b, diode: "open" }), { high: 12, low: -12 });
  const s = cpPlateaus(NOMINAL_EVSE_SOURCE, { ...b, diode: "shorted" });
  assert.ok(close(s.high, -s.low), "symmetric source gives a symmetric divided waveform");
  assert.ok(s.low > -11, `low plateau ${s.low} no longer reaches −12 V`);
});

test("invalid component values throw PilotError naming the field", () => {
  assert.throws(
    () => cpPlateaus({ ...NOMINAL_EVSE_SOURCE, r1: 0 }, null),
    (e: unknown) => e instanceof PilotError && e.code === "invalid-component" && /r1/.test(e.message),
  );
  assert.throws(() => cpPlateaus(NOMINAL_EVSE_SOURCE, { ...NOMINAL_EV_LOAD, rFixed: -1 }), /rFixed/);
  assert.throws(
    () => cpPlateaus(NOMINAL_EVSE_SOURCE, { ...NOMINAL_EV_LOAD, diodeDrop: Number.NaN }),
    /diodeDrop/,
  );
});

test("cpSampleFor: steady levels at 0 % and 100 % duty, both plateaus under PWM", () => {
  const c = evLoadForState("C");
  const p = cpPlateaus(NOMINAL_EVSE_SOURCE, c);
  assert.deepEqual(cpSampleFor(NOMINAL_EVSE_SOURCE, c, 100, 7), {
    tMs: 7,
    duty: 100,
    high: p.high,
    low: p.high,
  });
  assert.deepEqual(cpSampleFor(NOMINAL_EVSE_SOURCE, c, 0, 7), { tMs: 7, duty: 0, high: p.low, low: p.low });
  assert.deepEqual(cpSampleFor(NOMINAL_EVSE_SOURCE, c, 50, 7), { tMs: 7, duty: 50, ...p });
  for (const st of ["A", "B", "C", "D"] as const) assert.equal(nominalStateOf(evLoadForState(st)), st);
});
