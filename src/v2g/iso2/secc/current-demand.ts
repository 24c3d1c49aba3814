/**
 * ISO 15118-2 CurrentDemandReq → CurrentDemandRes (fields per EcoG-io/iso15118): targets clamped to the EVSE
 * limits; present V/I from the power stage, limit flags, EVSEID, SAScheduleTupleID, MeterInfo,
 * ReceiptRequired.
 */
import { num, pv } from "../../session/physical.js";
import { onCurrentDemand } from "../../session/secc-logic.js";
import type { HandlerCtx, SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type iso2, isoDcStatus, meterInfo, withReceiptMeter } from "./common.js";

function response(
  s: SeccState,
  code: iso2.responseCodeType,
  tMs: number,
  flags = { v: false, i: false, p: false },
  meter: iso2.MeterInfoType = meterInfo(s, tMs),
): iso2.CurrentDemandResType {
  const r = s.readings;
  return {
    ResponseCode: code,
    DC_EVSEStatus: isoDcStatus(s),
    EVSEPresentVoltage: pv(r.presentVoltageV, "V"),
    EVSEPresentCurrent: pv(r.presentCurrentA, "A"),
    EVSECurrentLimitAchieved: flags.i,
    EVSEVoltageLimitAchieved: flags.v,
    EVSEPowerLimitAchieved: flags.p,
    EVSEMaximumVoltageLimit: pv(r.dc.maxVoltageV, "V"),
    EVSEMaximumCurrentLimit: pv(r.dc.maxCurrentA, "A"),
    EVSEMaximumPowerLimit: pv(r.dc.maxPowerW, "W"),
    EVSEID: s.cfg.evseId,
    SAScheduleTupleID: s.cfg.saScheduleTupleId,
    MeterInfo: meter,
    ReceiptRequired: s.cfg.receiptRequired,
  };
}

/** SECC handler of CurrentDemandReq. */
export const currentDemand: SeccHandler = {
  name: "CurrentDemand",
  res: "CurrentDemandRes",
  handle(s, req: iso2.CurrentDemandReqType, ctx: HandlerCtx, fx) {
    const o = onCurrentDemand(
      s,
      {
        targetVoltageV: num(req.EVTargetVoltage),
        targetCurrentA: num(req.EVTargetCurrent),
        socPercent: req.DC_EVStatus.EVRESSSOC,
        maxVoltageV: req.EVMaximumVoltageLimit && num(req.EVMaximumVoltageLimit),
        maxCurrentA: req.EVMaximumCurrentLimit && num(req.EVMaximumCurrentLimit),
        maxPowerW: req.EVMaximumPowerLimit && num(req.EVMaximumPowerLimit),
      },
      fx,
    );
    const flags = { v: o.voltageLimitAchieved, i: o.currentLimitAchieved, p: o.powerLimitAchieved };
    const meter = meterInfo(o.state, ctx.tMs);
    const state = withReceiptMeter(o.state, meter);
    return { state, body: response(state, "OK", ctx.tMs, flags, meter) };
  },
  failed: (s, code, tMs) => response(s, code as iso2.responseCodeType, tMs),
};
