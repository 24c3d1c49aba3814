/**
 * The objects the charge loop builds for every message keep one V8 hidden class from call to call (see
 * testing/hidden-class.ts for why that matters: a new hidden class per message fills the old generation at the
 * message rate). One check per site, each the first use of its site in this process: a site that has seen
 * several shapes no longer makes new hidden classes, so a later check of it could not fail.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { hiddenClassChurn } from "../../testing/hidden-class.js";
import { currentDemand as dinCurrentDemand } from "../din/evcc/current-demand.js";
import { chargingStatus } from "../iso2/evcc/charging-status.js";
import { currentDemand as iso2CurrentDemand } from "../iso2/evcc/current-demand.js";
import { acChargeLoop } from "../iso20/evcc/ac-charge-loop.js";
import { dcChargeLoop } from "../iso20/evcc/dc-charge-loop.js";
import { createEvcc } from "./evcc.js";
import type { EvccMessage } from "./evcc-protocol.js";
import type { EvccState } from "./evcc-state.js";
import { ISO20_SERVICE, type Iso20ControlMode } from "./iso20-session.js";
import { createSecc } from "./secc.js";
import { dcEvseStatus } from "./secc-logic.js";

const pv = (v: number, unit: string) => ({ Multiplier: 0, Unit: unit, Value: v });
const rn = (v: number) => ({ Exponent: 0, Value: v });
const dcStatus = {
  EVSEStatusCode: "EVSE_Ready",
  EVSEIsolationStatus: "Valid",
  EVSENotification: "None",
  NotificationMaxDelay: 0,
};
const iso20Status = { NotificationMaxDelay: 0, EVSENotification: "Continue" };

/** A read view's `evse` part, response `i` of the loop. */
const view = (m: EvccMessage, body: (i: number) => object) => (i: number) =>
  m.read(body(i) as never).evse as object;

/** A DIN CurrentDemandRes body, response `i` (ISO-2's adds its own fields). */
const dinCurrentDemandRes = (i: number) => ({
  ResponseCode: "OK",
  DC_EVSEStatus: dcStatus,
  EVSEPresentVoltage: pv(400 + (i % 5), "V"),
  EVSEPresentCurrent: pv(100, "A"),
  EVSECurrentLimitAchieved: false,
  EVSEVoltageLimitAchieved: false,
  EVSEPowerLimitAchieved: false,
  EVSEMaximumVoltageLimit: pv(500, "V"),
  EVSEMaximumCurrentLimit: pv(200, "A"),
  EVSEMaximumPowerLimit: pv(100, "W"),
});

test("DIN CurrentDemandRes: the EV's view of each response has one hidden class", () => {
  assert.equal(hiddenClassChurn(view(dinCurrentDemand, dinCurrentDemandRes)), null);
});

test("ISO-2 CurrentDemandRes: the EV's view of each response has one hidden class", () => {
  const body = (i: number) => ({
    ...dinCurrentDemandRes(i),
    EVSEID: "DE*NAC*E0001",
    SAScheduleTupleID: 1,
    MeterInfo: { MeterID: "m1", MeterReading: BigInt(i) },
    ReceiptRequired: false,
  });
  assert.equal(hiddenClassChurn(view(iso2CurrentDemand, body)), null);
});

test("ISO-2 ChargingStatusRes: the EV's view of each response has one hidden class", () => {
  const body = (i: number) => ({
    ResponseCode: "OK",
    EVSEID: "DE*NAC*E0001",
    SAScheduleTupleID: 1,
    EVSEMaxCurrent: pv(32, "A"),
    MeterInfo: { MeterID: "m1", MeterReading: BigInt(i) },
    ReceiptRequired: false,
    AC_EVSEStatus: { NotificationMaxDelay: 0, EVSENotification: "None", RCD: false },
  });
  assert.equal(hiddenClassChurn(view(chargingStatus, body)), null);
});

test("ISO-20 DC_ChargeLoopRes: the EV's view of each response has one hidden class", () => {
  const body = (i: number) => ({
    ResponseCode: "OK",
    EVSEStatus: iso20Status,
    EVSEPresentVoltage: rn(400 + (i % 5)),
    EVSEPresentCurrent: rn(100),
    EVSEPowerLimitAchieved: false,
    EVSECurrentLimitAchieved: false,
    EVSEVoltageLimitAchieved: false,
    Scheduled_DC_CLResControlMode: { EVSEMaximumChargeCurrent: rn(200), EVSEMaximumVoltage: rn(500) },
  });
  assert.equal(hiddenClassChurn(view(dcChargeLoop, body)), null);
});

test("ISO-20 AC_ChargeLoopRes: the EV's view of each response has one hidden class", () => {
  const body = (i: number) => ({
    ResponseCode: "OK",
    EVSEStatus: iso20Status,
    Dynamic_AC_CLResControlMode: { EVSETargetActivePower: rn(7000 + (i % 5)) },
  });
  assert.equal(hiddenClassChurn(view(acChargeLoop, body)), null);
});

/** An ISO-20 EVCC in the charge loop of `serviceId` (a BPT service: a bidirectional EV). */
function evcc20(serviceId: number, mode: Iso20ControlMode): EvccState {
  const s = createEvcc({ bidirectional: true, iso20ControlMode: mode });
  return {
    ...s,
    protocol: "iso20",
    readings: { ...s.readings, socPercent: 50, minSocPercent: 20, capacityWh: 60_000, batteryVoltageV: 400 },
    iso20: {
      serviceId,
      parameterSetId: 1,
      controlMode: mode,
      preChargeFinished: true,
      bptChannel: "Charge",
      acCurrentA: 16,
    },
  };
}

test("ISO-20 DC_ChargeLoopReq (Dynamic, BPT): each request has one hidden class", () => {
  const s = evcc20(ISO20_SERVICE.DC_BPT, "dynamic");
  const req = (i: number) =>
    (
      dcChargeLoop.build({ ...s, readings: { ...s.readings, socPercent: 50 + (i % 5) } }) as {
        BPT_Dynamic_DC_CLReqControlMode: object;
      }
    ).BPT_Dynamic_DC_CLReqControlMode;
  assert.equal(hiddenClassChurn(req), null);
});

test("ISO-20 AC_ChargeLoopReq (Scheduled, BPT): each request has one hidden class", () => {
  const s = evcc20(ISO20_SERVICE.AC_BPT, "scheduled");
  const req = (i: number) =>
    (
      acChargeLoop.build({ ...s, readings: { ...s.readings, socPercent: 50 + (i % 5) } }) as {
        BPT_Scheduled_AC_CLReqControlMode: object;
      }
    ).BPT_Scheduled_AC_CLReqControlMode;
  assert.equal(hiddenClassChurn(req), null);
});

test("DC_EVSEStatus (ISO-2, with an isolation status): each response's status has one hidden class", () => {
  const s0 = createSecc({ protocols: ["iso2"] });
  const s = { ...s0, protocol: "iso2" as const };
  assert.equal(
    hiddenClassChurn((i) => dcEvseStatus({ ...s, nowMs: i })),
    null,
  );
});
