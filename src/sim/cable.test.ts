import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { classifyPp, currentToDuty, detectCp, initialCpDetector, ppVoltage } from "../pilot/index.js";
import { type CableState, drawComponents, evMeasuredDuty, evseSample, ppSeenByEv } from "./cable.js";
import { createRng } from "./rng.js";

function cable(over: Partial<CableState> = {}, seed: number | null = null): CableState {
  return {
    components: drawComponents(seed === null ? null : createRng(seed)),
    plugged: true,
    ppConnector: { kind: "latched" },
    lineFault: "none",
    s2Closed: false,
    ventClosed: false,
    diode: "ok",
    genDuty: currentToDuty(32) ?? 0,
    ...over,
  };
}

test("EV measures the generator duty (rounded down to 0.1 %), nothing without a pilot", () => {
  const d32 = currentToDuty(32) ?? 0;
  assert.equal(evMeasuredDuty(cable()), Math.floor(d32 * 10) / 10);
  assert.equal(evMeasuredDuty(cable({ genDuty: 100 })), 100);
  assert.equal(evMeasuredDuty(cable({ genDuty: 0 })), 0);
  assert.equal(evMeasuredDuty(cable({ plugged: false })), 0);
  assert.equal(evMeasuredDuty(cable({ lineFault: "cp-short-pe" })), 0);
  assert.equal(evMeasuredDuty(cable({ lineFault: "cp-open" })), 0);
});

test("EV sees its PP only when plugged", () => {
  const c = cable();
  assert.equal(classifyPp(ppVoltage(c.components.ppNetwork, ppSeenByEv(c))), "latched");
  assert.equal(
    classifyPp(ppVoltage(c.components.ppNetwork, ppSeenByEv({ ...c, plugged: false }))),
    "unplugged",
  );
  const pressed = { ...c, ppConnector: { kind: "button-pressed" as const } };
  assert.equal(classifyPp(ppVoltage(c.components.ppNetwork, ppSeenByEv(pressed))), "unlatched");
});

test("property: with components drawn within tolerance the detector sees the EV's switch state", () => {
  fc.assert(
    fc.property(fc.integer(), fc.constantFrom("A", "B", "C", "D"), (seed, want) => {
      const rng = createRng(seed);
      const c = cable(
        { plugged: want !== "A", s2Closed: want === "C" || want === "D", ventClosed: want === "D" },
        seed,
      );
      let det = initialCpDetector;
      const seen: string[] = [];
      for (let t = 0; t < 60; t += 10) {
        const [d, evs] = detectCp(det, evseSample(c, t, rng));
        det = d;
        for (const e of evs) seen.push(e.kind === "state" ? e.state : e.fault);
      }
      assert.deepEqual(seen, want === "A" ? [] : [want]);
    }),
    { numRuns: 200 },
  );
});
