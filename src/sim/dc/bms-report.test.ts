import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type BmsReported, bmsDue, LIVE_BMS_REPORT } from "./bms-report.js";
import { DcSession, type DcSessionOptions } from "./session.js";
import { SHORT_DC_SESSION } from "./v2g-test-support.js";

const rule = LIVE_BMS_REPORT;

test("bmsDue: always without a rule or a first report; then every second, on a 0.1 % SOC crossing, on 1 V", () => {
  const last: BmsReported = { atMs: 1000, socPercent: 50.05, batteryVoltageV: 700 };
  assert.equal(bmsDue(undefined, last, 1001, 50.05, 700), true);
  assert.equal(bmsDue(rule, null, 0, 50, 700), true);
  assert.equal(bmsDue(rule, last, 1500, 50.09, 700.9), false);
  assert.equal(bmsDue(rule, last, 1500, 50.1, 700), true, "crossed 50.1 %");
  assert.equal(bmsDue(rule, last, 1500, 50.05, 701), true, "1 V");
  assert.equal(bmsDue(rule, last, 1500, 50.05, 699), true, "1 V down");
  assert.equal(bmsDue(rule, last, 2000, 50.05, 700), true, "a second");
});

test("property: a reported series never misses a crossing of a multiple of the SOC step by more than one sample, nor goes silent for more than everyMs", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 99, noNaN: true }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 0.05, noNaN: true })), {
        minLength: 1,
        maxLength: 300,
      }),
      (soc0, steps) => {
        let t = 0;
        let soc = soc0;
        let last: BmsReported | null = null;
        for (const [dt, dSoc] of steps) {
          t += dt;
          soc = Math.min(100, soc + dSoc);
          const due = bmsDue(rule, last, t, soc, 700);
          if (last) {
            const crossed = Math.floor(soc / 0.1) !== Math.floor(last.socPercent / 0.1);
            if (crossed || t - last.atMs >= rule.everyMs) assert.ok(due);
          } else assert.ok(due);
          if (due) last = { atMs: t, socPercent: soc, batteryVoltageV: 700 };
        }
      },
    ),
  );
});

const base: DcSessionOptions = { ...SHORT_DC_SESSION, timeline: false };

/** Run a session counting the EV side's bms readings while measuring as a live board does (every 100 ms). */
function run(o: Partial<DcSessionOptions>) {
  const s = new DcSession({ ...base, ...o });
  let bms = 0;
  let inlet = 0;
  const toEv = s.sim.ctl.toEv.bind(s.sim.ctl);
  s.sim.ctl.toEv = (ev) => {
    if (ev.kind === "bms") bms++;
    if (ev.kind === "inlet") inlet++;
    toEv(ev);
  };
  return { r: s.run(), bms, inlet };
}

test("a session with the live board's rule: far fewer bms readings, the same end (target SOC reached, energy within 0.1 %)", () => {
  const every = run({});
  const live = run({ bmsReport: LIVE_BMS_REPORT });
  assert.equal(live.r.stopReason, every.r.stopReason);
  assert.match(String(live.r.stopReason), /target SOC/);
  assert.ok(
    Math.abs(live.r.energyDeliveredWh - every.r.energyDeliveredWh) <= every.r.energyDeliveredWh * 0.001,
    `${live.r.energyDeliveredWh} vs ${every.r.energyDeliveredWh} Wh`,
  );
  assert.equal(live.inlet, every.inlet, "inlet readings unchanged");
  assert.ok(live.bms < every.bms / 3, `bms readings ${live.bms} vs ${every.bms}`);
  // 4 % of SOC in 0.1 % steps: at least the 40 crossings were reported
  assert.ok(live.bms >= 40, `${live.bms} bms readings`);
});
