import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type CpLineFault,
  cpPlateaus,
  cpSampleFor,
  type EvCpLoad,
  type EvseCpSource,
  evLoadForState,
  NOMINAL_EVSE_SOURCE,
} from "./circuit.js";
import { CP_DEBOUNCE_SAMPLES, CP_FILTER_MAX_MS, CP_SAMPLE_INTERVAL_MS } from "./constants.js";
import {
  activeCpFault,
  type CpDetectorState,
  type CpEvent,
  type CpState,
  currentCpState,
  detectCp,
  diodeVerified,
  initialCpDetector,
} from "./detect.js";
import { CP_TOLERANCE_RANGES, type CpCorner, cpPoint, cpToleranceCorners } from "./tolerance.js";

const PWM = 53.3; // 32 A

interface Wire {
  src: EvseCpSource;
  ev: EvCpLoad | null;
  duty: number;
  fault?: CpLineFault;
}

/** Sample the wire `n` times at CP_SAMPLE_INTERVAL_MS from t0; returns the detector and all events. */
function run(s: CpDetectorState, w: Wire, n: number, t0: number): [CpDetectorState, CpEvent[], number] {
  const events: CpEvent[] = [];
  let t = t0;
  for (let i = 0; i < n; i++) {
    const [next, ev] = detectCp(s, cpSampleFor(w.src, w.ev, w.duty, t, w.fault ?? "none"));
    s = next;
    events.push(...ev);
    t += CP_SAMPLE_INTERVAL_MS;
  }
  return [s, events, t];
}

const loadFor = (c: CpCorner, st: "A" | "B" | "C" | "D") => evLoadForState(st, c.ev);

/**
 * Walk one corner through A→B→C→D→C→B→A under PWM (and A→B→C under X1 for the plain states), checking that
 * each state is reported on exactly the second sample and never earlier.
 */
function checkCorner(c: CpCorner): void {
  let s = initialCpDetector;
  let t = 0;
  const seq: ("A" | "B" | "C" | "D")[] = ["B", "C", "D", "C", "B", "A"];
  for (const st of seq) {
    const w = { src: c.src, ev: loadFor(c, st), duty: PWM };
    let ev: CpEvent[];
    [s, ev, t] = run(s, w, 1, t);
    assert.deepEqual(ev, [], `corner ${JSON.stringify(c)}: ${st} reported after one sample`);
    [s, ev, t] = run(s, w, 1, t);
    assert.deepEqual(
      ev,
      [{ kind: "state", state: st, tMs: t - CP_SAMPLE_INTERVAL_MS }],
      `${JSON.stringify(c)} ${st}`,
    );
    [s, ev, t] = run(s, w, 3, t);
    assert.deepEqual(ev, [], "steady state reports nothing more");
    assert.equal(activeCpFault(s), null);
    if (st !== "A") assert.ok(diodeVerified(s), "the −12 V low plateau proves the diode");
  }
  // X1 (steady +12 V): states from the high plateau only
  for (const st of ["B", "C", "A"] as const) {
    let ev: CpEvent[];
    [s, ev, t] = run(s, { src: c.src, ev: loadFor(c, st), duty: 100 }, 2, t);
    assert.equal(currentCpState(s), st);
    assert.equal(ev.length, 1);
  }
}

test("every state A–D is detected at every one of the 128 tolerance corners", () => {
  const corners = cpToleranceCorners();
  for (const c of corners) checkCorner(c);
});

/** Faults at one corner: diode shorted/missing, CP short to PE, CP open, diode open, F at 0 %. */
function checkFaults(c: CpCorner): void {
  for (const st of ["B", "C", "D"] as const) {
    // diode shorted, or an EV built without a diode: the low plateau no longer reaches −12 V
    const shorted = { ...loadFor(c, st)!, diode: "shorted" as const };
    const low = cpPlateaus(c.src, shorted).low;
    assert.ok(low > -11, `low plateau ${low} should not reach the F band`);
    const [s, ev] = run(initialCpDetector, { src: c.src, ev: shorted, duty: PWM }, 2, 0);
    assert.ok(
      ev.some((e) => e.kind === "fault" && e.fault === "diode-fault"),
      `${st} diode shorted: ${JSON.stringify(ev)}`,
    );
    assert.equal(activeCpFault(s), "diode-fault");
    assert.equal(diodeVerified(s), false);

    for (const duty of [PWM, 100, 0]) {
      const [s2, ev2] = run(
        initialCpDetector,
        { src: c.src, ev: loadFor(c, st), duty, fault: "cp-short-pe" },
        2,
        0,
      );
      assert.equal(currentCpState(s2), "E", `cp short at duty ${duty}`);
      assert.ok(ev2.some((e) => e.kind === "fault" && e.fault === "cp-short"));
    }
    // CP open and diode open look like nothing plugged: A (starting from the EV's state)
    const [inState] = run(initialCpDetector, { src: c.src, ev: loadFor(c, st), duty: PWM }, 2, 0);
    assert.equal(currentCpState(inState), st);
    for (const w of [
      { src: c.src, ev: loadFor(c, st), duty: PWM, fault: "cp-open" as const },
      { src: c.src, ev: { ...loadFor(c, st)!, diode: "open" as const }, duty: PWM },
    ]) {
      const [s3, ev3] = run(inState, w, 2, 100);
      assert.equal(currentCpState(s3), "A");
      assert.ok(!ev3.some((e) => e.kind === "fault"));
    }
    // 0 % duty: EVSE drives F, the diode blocks, F is detected
    const [s4] = run(inState, { src: c.src, ev: loadFor(c, st), duty: 0 }, 2, 100);
    assert.equal(currentCpState(s4), "F");
    assert.equal(activeCpFault(s4), null);
  }
}

test("faults are detected at every tolerance corner", () => {
  for (const c of cpToleranceCorners()) checkFaults(c);
});

const inRange = (k: keyof typeof CP_TOLERANCE_RANGES) =>
  fc.double({ min: CP_TOLERANCE_RANGES[k][0], max: CP_TOLERANCE_RANGES[k][1], noNaN: true });
const arbCorner = fc
  .record({
    vHigh: inRange("vHigh"),
    vLow: inRange("vLow"),
    r1: inRange("r1"),
    rFixed: inRange("rFixed"),
    rS2: inRange("rS2"),
    rVent: inRange("rVent"),
    diodeDrop: inRange("diodeDrop"),
  })
  .map(cpPoint);

test("property: random points inside the tolerance ranges detect all states and faults", () => {
  fc.assert(
    fc.property(arbCorner, (c) => {
      checkCorner(c);
      checkFaults(c);
    }),
    { numRuns: 150 },
  );
});

test("latency: a change is reported on exactly the second sample after it, ≤ 50 ms in total", () => {
  const states: CpState[] = ["A", "B", "C", "D"];
  fc.assert(
    fc.property(
      fc.constantFrom(...states),
      fc.constantFrom(...states),
      fc.double({ min: 0, max: CP_SAMPLE_INTERVAL_MS, noNaN: true, maxExcluded: true }),
      (from, to, offset) => {
        fc.pre(from !== to);
        const w = (st: CpState) => ({
          src: NOMINAL_EVSE_SOURCE,
          ev: evLoadForState(st as "A" | "B" | "C" | "D"),
          duty: PWM,
        });
        let [s, , t] = run(initialCpDetector, w(from), 3, 0);
        // the wire changes `offset` ms before the next sample instant t
        const changeAt = t - offset;
        let reportedAt: number | null = null;
        let samplesSeen = 0;
        while (reportedAt === null && samplesSeen < 10) {
          const [next, ev] = detectCp(s, cpSampleFor(w(to).src, w(to).ev, PWM, t));
          s = next;
          samplesSeen++;
          const e = ev.find((x) => x.kind === "state");
          if (e) reportedAt = e.tMs;
          t += CP_SAMPLE_INTERVAL_MS;
        }
        assert.equal(samplesSeen, CP_DEBOUNCE_SAMPLES);
        assert.equal(currentCpState(s), to);
        const latency = (reportedAt as number) - changeAt;
        assert.ok(latency < CP_DEBOUNCE_SAMPLES * CP_SAMPLE_INTERVAL_MS + 1e-9);
        assert.ok(latency <= CP_FILTER_MAX_MS, `latency ${latency} ms`);
      },
    ),
    { numRuns: 200 },
  );
});

test("a single disturbed sample is filtered; a 200 ms state-C pulse is reported", () => {
  const b = { src: NOMINAL_EVSE_SOURCE, ev: evLoadForState("B"), duty: PWM };
  const c = { src: NOMINAL_EVSE_SOURCE, ev: evLoadForState("C"), duty: PWM };
  let [s, , t] = run(initialCpDetector, b, 3, 0);
  let ev: CpEvent[];
  [s, ev, t] = run(s, c, 1, t);
  [s, ev, t] = run(s, b, 3, t);
  assert.deepEqual(ev, []);
  assert.equal(currentCpState(s), "B");
  const pulse = 200 / CP_SAMPLE_INTERVAL_MS;
  const all: CpEvent[] = [];
  [s, ev, t] = run(s, c, pulse, t);
  all.push(...ev);
  [s, ev, t] = run(s, b, pulse, t);
  all.push(...ev);
  assert.deepEqual(
    all.map((e) => (e.kind === "state" ? e.state : e.fault)),
    ["C", "B"],
  );
});

test("hysteresis: 10.5 V stays A coming from A but reads B coming from B; 7.5 V stays B from B", () => {
  const at = (v: number, duty = PWM) => ({ high: v, low: -12, duty });
  let s = initialCpDetector;
  let events: CpEvent[] = [];
  for (let i = 0; i < 3; i++) [s, events] = detectCp(s, { tMs: i, ...at(10.5) });
  assert.equal(currentCpState(s), "A");
  assert.deepEqual(events, []);
  for (let i = 0; i < 2; i++) [s] = detectCp(s, { tMs: 10 + i, ...at(9) });
  assert.equal(currentCpState(s), "B");
  for (let i = 0; i < 3; i++) [s] = detectCp(s, { tMs: 20 + i, ...at(10.5) });
  assert.equal(currentCpState(s), "B");
  for (let i = 0; i < 3; i++) [s] = detectCp(s, { tMs: 30 + i, ...at(7.5) });
  assert.equal(currentCpState(s), "B");
  for (let i = 0; i < 2; i++) [s] = detectCp(s, { tMs: 40 + i, ...at(6) });
  assert.equal(currentCpState(s), "C");
  for (let i = 0; i < 3; i++) [s] = detectCp(s, { tMs: 50 + i, ...at(7.5) });
  assert.equal(currentCpState(s), "C");
});

test("pilot fault: high plateau above 13 V, or a low plateau outside the F band", () => {
  for (const sample of [
    { high: 14, low: -12, duty: PWM },
    { high: 9, low: -6, duty: PWM },
    { high: 9, low: -14, duty: 100 - 1 },
    { high: 14, low: 14, duty: 100 },
    { high: -14, low: -14, duty: 0 },
  ]) {
    const [s1] = detectCp(initialCpDetector, { tMs: 0, ...sample });
    const [s2, ev] = detectCp(s1, { tMs: 10, ...sample });
    assert.deepEqual(ev, [{ kind: "fault", fault: "pilot-fault", tMs: 10 }], JSON.stringify(sample));
    assert.equal(currentCpState(s2), "A", "a pilot fault does not invent a state");
    // two good samples clear it
    const good = cpSampleFor(NOMINAL_EVSE_SOURCE, null, PWM, 20);
    const [s3] = detectCp(s2, good);
    assert.equal(activeCpFault(s3), "pilot-fault");
    const [s4] = detectCp(s3, { ...good, tMs: 30 });
    assert.equal(activeCpFault(s4), null);
  }
});

test("X1 alone does not prove the diode; PWM with the −12 V low level does", () => {
  const b = evLoadForState("B");
  let [s] = run(initialCpDetector, { src: NOMINAL_EVSE_SOURCE, ev: b, duty: 100 }, 3, 0);
  assert.equal(currentCpState(s), "B");
  assert.equal(diodeVerified(s), false);
  [s] = run(s, { src: NOMINAL_EVSE_SOURCE, ev: b, duty: PWM }, 1, 30);
  assert.equal(diodeVerified(s), true);
  [s] = run(s, { src: NOMINAL_EVSE_SOURCE, ev: null, duty: PWM }, 2, 40);
  assert.equal(currentCpState(s), "A");
  assert.equal(diodeVerified(s), false, "unplugging forgets the diode proof");
});
