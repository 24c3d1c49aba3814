/**
 * ISO 15118-20 DC_ChargeLoopReq → Res (ISO 15118-20 digest §3.3/§3.4). The control-mode element must be the
 * session's (else FAILED). Scheduled: the EV's EVTargetVoltage/EVTargetCurrent, clamped to the EVSE limits.
 * Dynamic: the EVSE sets the power — the EV's maximum current, or its maximum power at its present voltage if
 * lower, at its maximum voltage, again within the EVSE limits ([V2G20-2188]). MeterInfo when asked
 * ([V2G20-1082]); EVSEStatus Terminate for a pending stop, an emergency or a fault.
 */
import type { iso20Dc } from "../../../codecs/index.js";
import { onCurrentDemand } from "../../session/secc-logic.js";
import type { HandlerCtx, SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import { type Body, evseStatus, type iso20Common, session20 } from "./common.js";

type Flags = { v: boolean; i: boolean; p: boolean };

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
  meter: boolean,
  flags: Flags = { v: false, i: false, p: false },
): Body<iso20Dc.DC_ChargeLoopResType> {
  const r = s.readings;
  const st = evseStatus(s);
  const limits = {
    EVSEMaximumChargePower: rn(r.dc.maxPowerW),
    EVSEMaximumChargeCurrent: rn(r.dc.maxCurrentA),
    EVSEMaximumVoltage: rn(r.dc.maxVoltageV),
  };
  return {
    ResponseCode: code,
    ...(st && { EVSEStatus: st }),
    ...(meter && {
      MeterInfo: {
        MeterID: s.cfg.meterId,
        ChargedEnergyReadingWh: BigInt(Math.max(0, Math.round(r.energyWh))),
      },
    }),
    EVSEPresentCurrent: rn(r.presentCurrentA),
    EVSEPresentVoltage: rn(r.presentVoltageV),
    EVSEPowerLimitAchieved: flags.p,
    EVSECurrentLimitAchieved: flags.i,
    EVSEVoltageLimitAchieved: flags.v,
    ...(session20(s).controlMode === "dynamic"
      ? {
          Dynamic_DC_CLResControlMode: {
            EVSEMaximumChargePower: limits.EVSEMaximumChargePower,
            EVSEMinimumChargePower: rn(0),
            EVSEMaximumChargeCurrent: limits.EVSEMaximumChargeCurrent,
            EVSEMaximumVoltage: limits.EVSEMaximumVoltage,
          },
        }
      : { Scheduled_DC_CLResControlMode: limits }),
  };
}

/** The EV's targets from the request's control mode, or undefined when it is not the session's. */
function targets(s: SeccState, req: iso20Dc.DC_ChargeLoopReqType) {
  if (session20(s).controlMode === "dynamic") {
    const d = req.Dynamic_DC_CLReqControlMode;
    if (!d) return undefined;
    const vPresent = Math.max(rnum(req.EVPresentVoltage), 1);
    const iMax = rnum(d.EVMaximumChargeCurrent);
    const pMax = rnum(d.EVMaximumChargePower);
    return {
      targetVoltageV: rnum(d.EVMaximumVoltage),
      targetCurrentA: Math.min(iMax, pMax / vPresent),
      maxVoltageV: rnum(d.EVMaximumVoltage),
      maxCurrentA: iMax,
      maxPowerW: pMax,
    };
  }
  const c = req.Scheduled_DC_CLReqControlMode;
  if (!c) return undefined;
  return {
    targetVoltageV: rnum(c.EVTargetVoltage),
    targetCurrentA: rnum(c.EVTargetCurrent),
    ...(c.EVMaximumVoltage && { maxVoltageV: rnum(c.EVMaximumVoltage) }),
    ...(c.EVMaximumChargeCurrent && { maxCurrentA: rnum(c.EVMaximumChargeCurrent) }),
    ...(c.EVMaximumChargePower && { maxPowerW: rnum(c.EVMaximumChargePower) }),
  };
}

/** SECC handler of DC_ChargeLoopReq (neutral name CurrentDemand). */
export const dcChargeLoop: SeccHandler = {
  name: "CurrentDemand",
  res: "DC_ChargeLoopRes",
  handle(s, req: iso20Dc.DC_ChargeLoopReqType, _ctx: HandlerCtx, fx) {
    const t = targets(s, req);
    if (!t) {
      const detail = `DC_ChargeLoopReq without the ${session20(s).controlMode} control mode of the session`;
      return {
        state: s,
        body: response(s, "FAILED", req.MeterInfoRequested),
        end: { reason: "failed-response", detail },
      };
    }
    const soc = req.DisplayParameters?.PresentSOC ?? s.ev.socPercent;
    const o = onCurrentDemand(s, { ...t, socPercent: soc }, fx);
    const flags = { v: o.voltageLimitAchieved, i: o.currentLimitAchieved, p: o.powerLimitAchieved };
    return { state: o.state, body: response(o.state, "OK", req.MeterInfoRequested, flags) };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType, false),
};
