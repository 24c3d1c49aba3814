/**
 * ISO 15118-20 DC_BPT on the EVCC side: the EVCC picks DC_BPT only when it is bidirectional and the EVSE offers
 * it, builds the BPT variants (discharge limits in DC_ChargeParameterDiscoveryReq, BPT_ChannelSelection and a
 * negative EVPowerProfile at PowerDelivery, a negative EVTargetCurrent within the EVSE's discharge limits in
 * the Scheduled loop, a negative EVTargetEnergyRequest in the Dynamic loop) and reads the EVSE's discharge
 * limits by magnitude (dSPACE sends them negative).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { iso20Common, iso20Dc } from "../../../codecs/index.js";
import { createEvcc } from "../../session/evcc.js";
import type { EvccState } from "../../session/evcc-state.js";
import { ISO20_SERVICE, type Iso20ControlMode, wantedIso20Service } from "../../session/iso20-session.js";
import { dcChargeLoop } from "./dc-charge-loop.js";
import { dcChargeParameterDiscovery } from "./dc-charge-parameter-discovery.js";
import { powerDelivery } from "./power-delivery.js";

function ev(mode: Iso20ControlMode, discharge: boolean, serviceId: number = ISO20_SERVICE.DC_BPT): EvccState {
  const s = createEvcc({ bidirectional: true, iso20ControlMode: mode });
  return {
    ...s,
    protocol: "iso20",
    progress: "start",
    readings: {
      ...s.readings,
      dischargeRequested: discharge,
      socPercent: 70,
      minSocPercent: 30,
      capacityWh: 75_000,
      batteryVoltageV: 400,
      maxDischargeCurrentA: 300,
      maxDischargePowerW: 100_000,
    },
    evse: { ...s.evse, maxDischargeCurrentA: 150, maxDischargePowerW: 50_000 },
    iso20: {
      serviceId,
      parameterSetId: 1,
      controlMode: mode,
      preChargeFinished: false,
      bptChannel: discharge ? "Discharge" : "Charge",
      acCurrentA: 0,
    },
  };
}

const num = (r: { Exponent: number; Value: number } | undefined) => (r ? r.Value * 10 ** r.Exponent : NaN);

test("wantedIso20Service: BPT only when the EV is bidirectional and the EVSE offers it", () => {
  assert.equal(wantedIso20Service(false, true, [2, 6]), ISO20_SERVICE.DC_BPT);
  assert.equal(wantedIso20Service(false, true, [2]), ISO20_SERVICE.DC);
  assert.equal(wantedIso20Service(false, false, [2, 6]), ISO20_SERVICE.DC);
  assert.equal(wantedIso20Service(true, true, [1, 5]), ISO20_SERVICE.AC_BPT);
});

test("DC_BPT: DC_ChargeParameterDiscoveryReq carries the BPT variant with the EV's discharge limits", () => {
  const b = dcChargeParameterDiscovery.build(
    ev("scheduled", true),
  ) as iso20Dc.DC_ChargeParameterDiscoveryReqType;
  assert.equal(b.DC_CPDReqEnergyTransferMode, undefined);
  assert.equal(num(b.BPT_DC_CPDReqEnergyTransferMode?.EVMaximumDischargeCurrent), 300);
  const plain = dcChargeParameterDiscovery.build(
    ev("scheduled", true, ISO20_SERVICE.DC),
  ) as iso20Dc.DC_ChargeParameterDiscoveryReqType;
  assert.ok(plain.DC_CPDReqEnergyTransferMode && !plain.BPT_DC_CPDReqEnergyTransferMode);
});

test("DC_BPT: the EVSE's discharge limits are read by magnitude (negative from a dSPACE SECC)", () => {
  const lim = (v: number) => ({ Exponent: 0, Value: v });
  const view = dcChargeParameterDiscovery.read({
    ResponseCode: "OK",
    BPT_DC_CPDResEnergyTransferMode: {
      EVSEMaximumChargePower: lim(30000),
      EVSEMinimumChargePower: lim(0),
      EVSEMaximumChargeCurrent: lim(100),
      EVSEMinimumChargeCurrent: lim(0),
      EVSEMaximumVoltage: lim(500),
      EVSEMinimumVoltage: lim(150),
      EVSEMaximumDischargePower: lim(-2990),
      EVSEMinimumDischargePower: lim(0),
      EVSEMaximumDischargeCurrent: lim(-10),
      EVSEMinimumDischargeCurrent: lim(0),
    },
  } as never);
  assert.equal(view.evse?.maxDischargePowerW, 2990);
  assert.equal(view.evse?.maxDischargeCurrentA, 10);
});

test("DC_BPT: PowerDelivery(Start) selects the Discharge channel with a negative profile power, Charge otherwise", () => {
  const d = powerDelivery.build(ev("scheduled", true)) as iso20Common.PowerDeliveryReqType;
  assert.equal(d.BPT_ChannelSelection, "Discharge");
  assert.ok(num(d.EVPowerProfile?.EVPowerProfileEntries.EVPowerProfileEntry[0]?.Power) < 0);
  const c = powerDelivery.build(ev("scheduled", false)) as iso20Common.PowerDeliveryReqType;
  assert.equal(c.BPT_ChannelSelection, "Charge");
  const plain = powerDelivery.build(
    ev("scheduled", true, ISO20_SERVICE.DC),
  ) as iso20Common.PowerDeliveryReqType;
  assert.equal(plain.BPT_ChannelSelection, undefined);
});

test("DC_BPT Scheduled: a discharging EV asks for a negative current within its and the EVSE's limits", () => {
  const b = dcChargeLoop.build(ev("scheduled", true)) as iso20Dc.DC_ChargeLoopReqType;
  const m = b.BPT_Scheduled_DC_CLReqControlMode;
  // EVSE: 150 A and 50 kW at 400 V = 125 A; EV: 300 A and 100 kW = 250 A ⇒ 125 A out of the EV
  assert.equal(num(m?.EVTargetCurrent), -125);
  assert.equal(b.DisplayParameters?.MinimumSOC, 30);
});

test("DC_BPT Dynamic: a discharging EV offers the energy above its minimum SOC (negative target energy)", () => {
  const b = dcChargeLoop.build(ev("dynamic", true)) as iso20Dc.DC_ChargeLoopReqType;
  const m = b.BPT_Dynamic_DC_CLReqControlMode;
  // (70 − 30) % of 75 kWh = 30 kWh
  assert.ok(Math.abs(num(m?.EVTargetEnergyRequest) + 30_000) <= 10, JSON.stringify(m?.EVTargetEnergyRequest));
  const c = dcChargeLoop.build(ev("dynamic", false)) as iso20Dc.DC_ChargeLoopReqType;
  assert.ok(num(c.BPT_Dynamic_DC_CLReqControlMode?.EVTargetEnergyRequest) > 0);
});
