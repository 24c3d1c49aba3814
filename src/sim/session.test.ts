import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { AcSession, type AcSessionOptions, runAcSession, SESSION_TIMELINE_LIMIT } from "./session.js";

const base: AcSessionOptions = {
  batteryKwh: 40,
  socStart: 50,
  targetSoc: 60,
  maxCurrentA: 32,
  supplyVoltageV: 240,
  seed: 7,
};

function balanceError(r: ReturnType<typeof runAcSession>): number {
  const battery = (r.batteryKwh * 1000 * (r.socEnd - r.socStart)) / 100;
  return Math.abs(r.energyDeliveredWh - r.lossesWh - battery) / battery;
}

test("session reaches the target SOC; grid energy − OBC losses = battery energy", () => {
  const r = runAcSession(base);
  assert.equal(r.stopReason, "target SOC reached");
  assert.ok(r.socEnd >= 60 && r.socEnd < 60.05, `socEnd ${r.socEnd}`);
  assert.ok(balanceError(r) < 0.01, `balance error ${balanceError(r)}`);
  assert.ok(r.lossesWh > 0 && r.lossesWh < 0.1 * r.energyDeliveredWh);
  // 32 A offer read as ≤ 32 A by the EV, at 240 V ± 0.5 %
  assert.ok(r.peakPowerW <= 32 * 240 * 1.005 + 1e-6 && r.peakPowerW > 30 * 240, `peak ${r.peakPowerW}`);
  assert.deepEqual(r.events[0], { tS: 0, cp: "A", duty: 100, contactor: false, currentA: 0 });
  const last = r.events.at(-1);
  assert.equal(last?.contactor, false);
  assert.equal(last?.currentA, 0);
});

test("same seed ⇒ same report; the taper shows above 80 % and the timeline stays bounded", () => {
  const a = runAcSession({ ...base, seed: 3, socStart: 75, targetSoc: 100 });
  const b = runAcSession({ ...base, seed: 3, socStart: 75, targetSoc: 100 });
  assert.deepEqual(a, b);
  assert.ok(a.events.length > 10 && a.events.length <= SESSION_TIMELINE_LIMIT);
  const currents = a.events.map((e) => e.currentA).filter((x) => x > 0);
  assert.ok(Math.min(...currents) < 0.5 * Math.max(...currents), "current tapers");
  assert.ok(balanceError(a) < 0.01);
});

test("unplug-after: the user unplugs, stop reason 'unplugged', session ends in A", () => {
  const r = runAcSession({ ...base, unplugAfterS: 120 });
  assert.equal(r.stopReason, "unplugged");
  assert.equal(r.events.at(-1)?.cp, "A");
  assert.ok(r.durationS > 120 && r.durationS < 125);
});

test("progress snapshots move through the phases", () => {
  const s = new AcSession({ ...base, socStart: 79, targetSoc: 82 });
  const phases = new Set<string>();
  for (let t = 0; !s.done; t += 30_000) {
    s.advance(t);
    phases.add(s.status().phase);
  }
  assert.ok(phases.has("charging") && phases.has("tapering") && phases.has("done"), [...phases].join(","));
});

test("property: energy balance holds within 1 % for any valid session", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 10, max: 300 }),
      fc.integer({ min: 0, max: 95 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 6, max: 80 }),
      fc.constantFrom(120, 208, 240, 277),
      fc.integer({ min: 0, max: 1000 }),
      (kwh, soc, delta, amps, volts, seed) => {
        const r = runAcSession({
          batteryKwh: kwh,
          socStart: soc,
          targetSoc: Math.min(100, soc + delta),
          maxCurrentA: amps,
          supplyVoltageV: volts,
          seed,
        });
        assert.equal(r.stopReason, "target SOC reached");
        assert.ok(balanceError(r) < 0.01, `balance error ${balanceError(r)}`);
      },
    ),
    { numRuns: 25 },
  );
});
