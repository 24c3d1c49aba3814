/**
 * J3400 "delayed S2 closure" for legacy single-wire-CAN chargers: the EV closes S2 no earlier than the delay
 * after plug-in, and holds the request that needs state C until then, so the charger's
 * V2G_SECC_CPState_Detection_Timeout (1.5 s, ISO 15118-2 / DIN SPEC 70121) never runs out. Every delay a
 * legacy charger may need completes the session (DC DIN, DC ISO-2, AC ISO-2, basic AC).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AcSession } from "../session.js";
import { DcSession, type DcSessionOptions } from "./session.js";

const DELAYS_S = [0, 1, 2, 3, 5];

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 20,
  targetSoc: 20.3,
  chargerKw: 250,
  protocol: "iso2",
  seed: 1,
};

function firstC(events: { tS: number; cp: string }[]): number {
  const c = events.find((e) => e.cp === "C");
  assert.ok(c, "S2 never closed");
  return c.tS;
}

for (const [label, extra] of [
  ["DC DIN", { protocol: "din" }],
  ["DC ISO-2", { protocol: "iso2" }],
  ["AC ISO-2", { energy: "ac", socStart: 50, targetSoc: 50.2 }],
] as const) {
  for (const d of DELAYS_S) {
    test(`${label}: --s2-delay ${d} s → the session charges, S2 closes at ≥ ${d} s after plug-in`, () => {
      const r = new DcSession({ ...base, ...extra, s2CloseDelayMs: d * 1000 }).run();
      assert.equal(r.stopReason, "target SOC reached");
      assert.ok(firstC(r.events) >= d, `C at ${firstC(r.events)} s`);
      assert.deepEqual(r.safety, []);
    });
  }
}

for (const d of DELAYS_S) {
  test(`basic AC: --s2-delay ${d} s → the session charges, S2 closes at ≥ ${d} s`, () => {
    const s = new AcSession({
      batteryKwh: 60,
      socStart: 50,
      targetSoc: 50.2,
      maxCurrentA: 32,
      supplyVoltageV: 240,
      seed: 1,
      s2CloseDelayMs: d * 1000,
    });
    const r = s.run();
    assert.equal(r.stopReason, "target SOC reached");
    assert.ok(firstC(r.events) >= d, `C at ${firstC(r.events)} s`);
  });
}
