/**
 * ISO 15118-2 CurrentDemandReq / Res (present V/I, limits, ReceiptRequired, MeterInfo), fields per
 * EcoG-io/iso15118.
 */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { num, pv } from "../../session/physical.js";
import { type iso2, isoEvStatus } from "./common.js";

/** EVCC side of CurrentDemand. */
export const currentDemand: EvccMessage = {
  name: "CurrentDemand",
  req: "CurrentDemandReq",
  res: "CurrentDemandRes",
  build(s): iso2.CurrentDemandReqType {
    const r = s.readings;
    return {
      DC_EVStatus: isoEvStatus(s),
      EVTargetCurrent: pv(Math.round(r.targetCurrentA * 10) / 10, "A"),
      EVMaximumVoltageLimit: pv(r.maxVoltageV, "V"),
      EVMaximumCurrentLimit: pv(r.maxCurrentA, "A"),
      EVMaximumPowerLimit: pv(r.maxPowerW, "W"),
      BulkChargingComplete: r.socPercent >= r.bulkSocPercent,
      ChargingComplete: r.socPercent >= r.fullSocPercent,
      EVTargetVoltage: pv(Math.round(r.targetVoltageV * 10) / 10, "V"),
    };
  },
  read: (r: iso2.CurrentDemandResType) => ({
    code: r.ResponseCode,
    evse: {
      presentVoltageV: num(r.EVSEPresentVoltage),
      presentCurrentA: num(r.EVSEPresentCurrent),
      saScheduleTupleId: r.SAScheduleTupleID,
      receiptRequired: r.ReceiptRequired ?? false,
      ...readDcStatus(r.DC_EVSEStatus),
      ...(r.MeterInfo && { meter: meterView(r.MeterInfo) }),
      ...(r.EVSEMaximumCurrentLimit && { maxCurrentA: num(r.EVSEMaximumCurrentLimit) }),
      ...(r.EVSEMaximumVoltageLimit && { maxVoltageV: num(r.EVSEMaximumVoltageLimit) }),
      ...(r.EVSEMaximumPowerLimit && { maxPowerW: num(r.EVSEMaximumPowerLimit) }),
    },
  }),
};

/** MeterInfo in neutral terms. */
export function meterView(m: iso2.MeterInfoType) {
  return {
    id: m.MeterID,
    ...(m.MeterReading !== undefined && { readingWh: Number(m.MeterReading) }),
    ...(m.TMeter !== undefined && { tMeter: m.TMeter }),
  };
}
