/**
 * `set_charger_kw N` (operator / backend power limit) in a simulated DC session: the SECC announces the
 * lower figure (ISO 15118-2 CurrentDemandRes EVSEMaximumPowerLimit, ISO 15118-20 DC_ChargeLoopRes
 * EVSEMaximumChargePower), the output follows it down, and `set_charger_kw 0` gives the rating back.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { iso2, iso20 } from "../../codecs/index.js";
import { hexToBytes } from "../../exi/hex.js";
import { DcSession } from "../dc/index.js";
import type { RecordEvent } from "../record/types.js";
import { parseEverestString, ScenarioRunner } from "./index.js";

const SCRIPT =
  "wait_phase charging;sleep 20;set_charger_kw 50;sleep 30;set_charger_kw 0;sleep 20;iso_stop_charging;iso_wait_v2g_session_stopped;unplug";
/** Time the output may take to come down to the limit: 350 A at the module's 200 A/s ramp, and margin. */
const SETTLE_S = 3;

/** ISO 15118-2 PhysicalValueType (Multiplier) or ISO 15118-20 RationalNumberType (Exponent). */
type Value = { Value: number; Multiplier?: number; Exponent?: number };
const num = (v: Value) => v.Value * 10 ** (v.Multiplier ?? v.Exponent ?? 0);

function announced(protocol: "iso2" | "iso20", m: RecordEvent): number | undefined {
  const b = hexToBytes(String(m.bytes));
  if (protocol === "iso2") {
    const res = (iso2.decode(b).Body as { CurrentDemandRes?: { EVSEMaximumPowerLimit?: Value } })
      .CurrentDemandRes;
    return res?.EVSEMaximumPowerLimit && num(res.EVSEMaximumPowerLimit);
  }
  const doc = iso20.dc.decodeDocument(b) as {
    DC_ChargeLoopRes?: {
      Scheduled_DC_CLResControlMode?: { EVSEMaximumChargePower?: Value };
      Dynamic_DC_CLResControlMode?: { EVSEMaximumChargePower?: Value };
    };
  };
  const res = doc.DC_ChargeLoopRes;
  const mode = res?.Scheduled_DC_CLResControlMode ?? res?.Dynamic_DC_CLResControlMode;
  return mode?.EVSEMaximumChargePower && num(mode.EVSEMaximumChargePower);
}

for (const protocol of ["iso2", "iso20"] as const) {
  test(`set_charger_kw (${protocol}): announced, followed within ${SETTLE_S} s, cleared by 0`, () => {
    const rec: RecordEvent[] = [];
    const runner = new ScenarioRunner(parseEverestString(SCRIPT));
    const session = new DcSession({
      batteryKwh: 75,
      socStart: 20,
      targetSoc: 80,
      chargerKw: 250,
      protocol,
      seed: 1,
      driver: runner,
      onRecord: (e) => rec.push(e),
    });
    const r = session.run();
    assert.equal(r.stopReason, "stopped by the driver");
    assert.deepEqual(r.safety, []);
    const at = (text: string) => runner.log.find((l) => l.text === text && l.event === "done")!.tMs / 1000;
    const [on, off] = [at("set_charger_kw 50"), at("set_charger_kw 0")];
    const samples = rec.filter((e) => e.type === "sample");
    const power = (from: number, to: number) =>
      Math.max(...samples.filter((e) => e.t >= from && e.t < to).map((e) => Number(e.p)));
    assert.ok(power(on - 10, on) > 200_000, `before: ${power(on - 10, on)} W`);
    assert.ok(power(on + SETTLE_S, off) <= 50_000 * 1.01, `limited: ${power(on + SETTLE_S, off)} W`);
    assert.ok(power(off + SETTLE_S, off + 15) > 200_000, `cleared: ${power(off + SETTLE_S, off + 15)} W`);
    const limitOf = (e: RecordEvent) => Number(e.evseMaxW);
    assert.equal(limitOf(samples.filter((e) => e.t > on && e.t < off).at(-1)!), 50_000);
    assert.equal(limitOf(samples.filter((e) => e.t > off).at(-1)!), 250_000);
    const res = rec.filter(
      (e) => e.type === "msg" && (e.name === "CurrentDemandRes" || e.name === "DC_ChargeLoopRes"),
    );
    const during = res.filter((e) => e.t > on && e.t < off).map((e) => announced(protocol, e));
    const after = res.filter((e) => e.t > off).map((e) => announced(protocol, e));
    assert.ok(during.length > 10 && during.every((w) => w === 50_000), `during: ${during}`);
    assert.ok(after.length > 10 && after.every((w) => w === 250_000), `after: ${after}`);
  });
}
