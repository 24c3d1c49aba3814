import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { INTERLOCK_IDLE, type InterlockCause, interlockCommand, stepInterlock } from "./interlock.js";
import type { AnyBoardBody } from "./messages.js";

const cfg = { output: "dc" as const, maxVoltageV: 935, maxCurrentA: 220 };

const run = (readings: AnyBoardBody[]): (InterlockCause | null)[] => {
  let s = INTERLOCK_IDLE;
  return readings.map((r) => {
    const [next, cause] = stepInterlock(cfg, s, r);
    s = next;
    return cause;
  });
};

test("interlock: emergency stop pressed ⇒ off; released ⇒ nothing", () => {
  assert.deepEqual(
    run([
      { type: "emergency-stop", pressed: true },
      { type: "emergency-stop", pressed: false },
      { type: "emergency-stop", pressed: true },
    ]),
    ["emergency-stop", null, "emergency-stop"],
  );
  assert.deepEqual(interlockCommand("dc"), { type: "module", op: "off", emergency: true });
  assert.deepEqual(interlockCommand("ac"), { type: "contactors", closed: false });
});

test("interlock: a backstop acts once per excursion; absent fields keep the last verdict", () => {
  assert.deepEqual(
    run([
      { type: "measure", voltageV: 800, currentA: 200 },
      { type: "measure", voltageV: 940 },
      { type: "measure", currentA: 100 }, // voltage not measured: still over, no second off
      { type: "measure", voltageV: 950 },
      { type: "measure", voltageV: 900 },
      { type: "measure", voltageV: 936 },
      { type: "measure", currentA: -230 }, // discharge counts by magnitude
      { type: "measure", currentA: 230 },
    ]),
    [null, "over-voltage", null, null, null, "over-voltage", "over-current", null],
  );
});

test("interlock property: within the limits, no reading ever switches the output off", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          type: fc.constant("measure" as const),
          voltageV: fc.double({ min: 0, max: 935, noNaN: true }),
          currentA: fc.double({ min: -220, max: 220, noNaN: true }),
        }),
      ),
      (rs) => run(rs).every((c) => c === null),
    ),
  );
});

test("interlock property: every rise above a limit switches off exactly once", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 50 }), (vs) => {
      const causes = run(vs.map((v) => ({ type: "measure", voltageV: v })));
      let rises = 0;
      let over = false;
      for (const v of vs) {
        if (v > cfg.maxVoltageV && !over) rises++;
        over = v > cfg.maxVoltageV;
      }
      return causes.filter((c) => c === "over-voltage").length === rises;
    }),
  );
});
