/**
 * The EV reads the charger's declared limits at ChargeParameterDiscovery (DIN SPEC 70121 / ISO 15118-2):
 * a legacy 500 V charger and an 800 V-class EV end there with a named reason instead of timing out in
 * PreCharge; a single-phase EV charges at a three-phase-only AC charger.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { din } from "../../codecs/index.js";
import { powerModuleConfig } from "../../evse/dc/power-module.js";
import type { RecordEvent } from "../record/types.js";
import { DcSession, type DcSessionOptions } from "./session.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 20,
  targetSoc: 21,
  chargerKw: 250,
  protocol: "iso2",
  seed: 1,
};

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol}: 500 V charger, 800 V EV → stop at ChargeParameterDiscovery with "charger limits"`, () => {
    const r = new DcSession({ ...base, protocol, chargerVariant: "500v", evClass: "800v" }).run();
    assert.match(r.stopReason, /^charger limits: the charger's maximum 500 V is below the battery's \d+ V$/);
    assert.equal(r.messages.ChargeParameterDiscoveryReq, 1);
    for (const m of ["CableCheckReq", "PreChargeReq", "CurrentDemandReq"])
      assert.equal(r.messages[m] ?? 0, 0, `${m} sent: ${JSON.stringify(r.messages)}`);
    assert.equal(r.energyDeliveredWh, 0);
    assert.ok(r.durationS < 5, `took ${r.durationS} s`);
    assert.deepEqual(r.safety, []);
  });
}

test("500 V charger, 400 V EV: charges as before", () => {
  const r = new DcSession({ ...base, chargerVariant: "500v", evClass: "400v" }).run();
  assert.equal(r.stopReason, "target SOC reached");
});

test("single-phase on-board charger at a three-phase-only AC charger: requests AC_three_phase_core and charges", () => {
  const rec: RecordEvent[] = [];
  const r = new DcSession({
    ...base,
    socStart: 50,
    targetSoc: 50.5,
    energy: "ac",
    evseConfig: { secc: { energyModes: ["AC_three_phase_core"] } },
    onRecord: (e) => rec.push(e),
  }).run();
  assert.equal(r.stopReason, "target SOC reached");
  assert.ok(
    rec.some((e) => e.type === "log" && /only AC_three_phase_core.*one phase/.test(String(e.msg))),
    "the EV says it draws on one phase",
  );
});

test("a charger declaring 40 V / 40 A: the 400 V EV stops at ChargeParameterDiscovery, no PreCharge at 354 V / 200 A", () => {
  const module = powerModuleConfig("1000v", 1600, { maxVoltageV: 40, minVoltageV: 0, maxCurrentA: 40 });
  const r = new DcSession({ ...base, evClass: "400v", evseConfig: { module } }).run();
  assert.match(r.stopReason, /^charger limits: the charger's maximum 40 V is below the battery's [\d.]+ V$/);
  assert.equal(r.messages.PreChargeReq ?? 0, 0);
});

test("a 40 A charger that can still charge: the EV charges, never asking for more than 40 A", () => {
  const module = powerModuleConfig("1000v", 250_000, { maxCurrentA: 40 });
  const asked: number[] = [];
  const r = new DcSession({
    ...base,
    protocol: "din",
    evClass: "400v",
    targetSoc: 20.2,
    evseConfig: { module },
    onWire: (_t, e) => {
      if (e.kind !== "v2gtp" || e.from !== "ev") return;
      try {
        const doc = din.decodeDocument(e.message.subarray(8)) as {
          V2G_Message?: {
            Body: { CurrentDemandReq?: { EVTargetCurrent: { Value: number; Multiplier: number } } };
          };
        };
        const t = doc.V2G_Message?.Body.CurrentDemandReq?.EVTargetCurrent;
        if (t) asked.push(t.Value * 10 ** t.Multiplier);
      } catch {
        // not a DIN V2G_Message (supportedAppProtocol)
      }
    },
  }).run();
  assert.equal(r.stopReason, "target SOC reached");
  assert.ok(asked.length > 10, `${asked.length} CurrentDemandReq`);
  assert.ok(Math.max(...asked) <= 40, `asked for ${Math.max(...asked)} A`);
});
