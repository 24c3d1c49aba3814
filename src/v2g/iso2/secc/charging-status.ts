/**
 * ISO 15118-2 ChargingStatusReq → ChargingStatusRes (AC loop, fields per EcoG-io/iso15118): EVSEID,
 * SAScheduleTupleID, EVSEMaxCurrent, MeterInfo, ReceiptRequired, AC_EVSEStatus (notification, RCD).
 */
import { pv } from "../../session/physical.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type iso2, isoAcStatus, meterInfo, withReceiptMeter } from "./common.js";

function response(
  s: SeccState,
  code: iso2.responseCodeType,
  tMs: number,
  meter: iso2.MeterInfoType = meterInfo(s, tMs),
): iso2.ChargingStatusResType {
  return {
    ResponseCode: code,
    EVSEID: s.cfg.evseId,
    SAScheduleTupleID: s.cfg.saScheduleTupleId,
    EVSEMaxCurrent: pv(s.readings.ac.maxCurrentA, "A"),
    MeterInfo: meter,
    ReceiptRequired: s.cfg.receiptRequired,
    AC_EVSEStatus: isoAcStatus(s),
  };
}

/** SECC handler of ChargingStatusReq. */
export const chargingStatus: SeccHandler = {
  name: "ChargingStatus",
  res: "ChargingStatusRes",
  handle(s, _req: iso2.ChargingStatusReqType, ctx) {
    const meter = meterInfo(s, ctx.tMs);
    const state = withReceiptMeter(s, meter);
    return { state, body: response(state, "OK", ctx.tMs, meter) };
  },
  failed: (s, code, tMs) => response(s, code as iso2.responseCodeType, tMs),
};
