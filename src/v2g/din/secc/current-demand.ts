/**
 * DIN 70121 CurrentDemandReq → CurrentDemandRes (fields per EcoG-io/iso15118): the power stage follows the
 * EV's targets clamped to the EVSE limits; present V/I come from the power stage, limit flags tell which
 * limit binds.
 */
import { num, pv } from "../../session/physical.js";
import { dcEvseStatus, onCurrentDemand } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { din } from "./common.js";

function response(
  s: SeccState,
  code: din.responseCodeType,
  flags = { v: false, i: false, p: false },
): din.CurrentDemandResType {
  const r = s.readings;
  return {
    ResponseCode: code,
    DC_EVSEStatus: dcEvseStatus(s) as din.DC_EVSEStatusType,
    EVSEPresentVoltage: pv(r.presentVoltageV, "V"),
    EVSEPresentCurrent: pv(r.presentCurrentA, "A"),
    EVSECurrentLimitAchieved: flags.i,
    EVSEVoltageLimitAchieved: flags.v,
    EVSEPowerLimitAchieved: flags.p,
    EVSEMaximumVoltageLimit: pv(r.dc.maxVoltageV, "V"),
    EVSEMaximumCurrentLimit: pv(r.dc.maxCurrentA, "A"),
    EVSEMaximumPowerLimit: pv(r.dc.maxPowerW, "W"),
  };
}

/** SECC handler of CurrentDemandReq. */
export const currentDemand: SeccHandler = {
  name: "CurrentDemand",
  res: "CurrentDemandRes",
  handle(s, req: din.CurrentDemandReqType, _ctx, fx) {
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
    return { state: o.state, body: response(o.state, "OK", flags) };
  },
  failed: (s, code) => response(s, code as din.responseCodeType),
};
