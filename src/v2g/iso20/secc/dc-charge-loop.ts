/**
 * ISO 15118-20 DC_ChargeLoopReq → Res (ISO 15118-20 V2G_CI_DC schema). The control-mode element must be
 * the session's — Scheduled or Dynamic, BPT_* for a DC_BPT service — else FAILED.
 * - Scheduled: the EV's EVTargetVoltage/EVTargetCurrent, clamped to the EVSE limits; with DC_BPT a negative
 *   EVTargetCurrent is a discharge set point (the sign of the DC target current is unconfirmed; we
 *   take negative = discharge), clamped to the EVSE's discharge limits.
 * - Dynamic: the EVSE sets the power ([V2G20-2188]) — the EV's maximum current, or its maximum power at its
 *   present voltage if lower, within the EVSE limits. With DC_BPT our SECC discharges while the EV's
 *   EVTargetEnergyRequest is negative (the EV wants to give energy: it is above the SOC it asks for), at the
 *   EV's maximum discharge current or power, within the EVSE's.
 * MeterInfo when asked ([V2G20-1082]), with BPT_DischargedEnergyReadingWh in a BPT session; EVSEPresentCurrent
 * is negative while discharging; EVSEStatus Terminate for a pending stop, an emergency or a fault.
 */
import type { iso20Dc } from "../../../codecs/index.js";
import { isBptService } from "../../session/iso20-session.js";
import { onCurrentDemand } from "../../session/secc-logic.js";
import type { HandlerCtx, SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import { type Body, evseStatus, type iso20Common, meterInfo, session20 } from "./common.js";

type Flags = { v: boolean; i: boolean; p: boolean };
type Res = Body<iso20Dc.DC_ChargeLoopResType>;

/**
 * `limits` with the EVSE's discharge limits (BPT). The spreads in this file come after plain keys: an object
 * literal that starts with a spread and adds keys gets a new V8 hidden class per response
 * (testing/hidden-class.ts).
 */
function withDischarge<T extends object>(dc: SeccState["readings"]["dc"], limits: T) {
  return {
    EVSEMaximumDischargePower: rn(dc.maxDischargePowerW),
    EVSEMinimumDischargePower: rn(0),
    EVSEMaximumDischargeCurrent: rn(dc.maxDischargeCurrentA),
    EVSEMinimumVoltage: rn(dc.minVoltageV),
    ...limits,
  };
}

function controlMode(s: SeccState): Partial<Res> {
  const dc = s.readings.dc;
  const limits = {
    EVSEMaximumChargePower: rn(dc.maxPowerW),
    EVSEMaximumChargeCurrent: rn(dc.maxCurrentA),
    EVSEMaximumVoltage: rn(dc.maxVoltageV),
  };
  const bpt = isBptService(session20(s).serviceId);
  if (session20(s).controlMode === "dynamic") {
    const d = { EVSEMinimumChargePower: rn(0), ...limits };
    return bpt
      ? { BPT_Dynamic_DC_CLResControlMode: withDischarge(dc, d) }
      : { Dynamic_DC_CLResControlMode: d };
  }
  return bpt
    ? { BPT_Scheduled_DC_CLResControlMode: withDischarge(dc, limits) }
    : { Scheduled_DC_CLResControlMode: limits };
}

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
  meter: boolean,
  flags: Flags = { v: false, i: false, p: false },
): Res {
  const r = s.readings;
  const st = evseStatus(s);
  return {
    ResponseCode: code,
    ...(st && { EVSEStatus: st }),
    ...(meter && { MeterInfo: meterInfo(s) }),
    EVSEPresentCurrent: rn(r.presentCurrentA),
    EVSEPresentVoltage: rn(r.presentVoltageV),
    EVSEPowerLimitAchieved: flags.p,
    EVSECurrentLimitAchieved: flags.i,
    EVSEVoltageLimitAchieved: flags.v,
    ...controlMode(s),
  } as Res;
}

type Targets = {
  targetVoltageV: number;
  targetCurrentA: number;
  maxVoltageV?: number;
  maxCurrentA?: number;
  maxPowerW?: number;
};

function dynamicTargets(
  req: iso20Dc.DC_ChargeLoopReqType,
  d: iso20Dc.Dynamic_DC_CLReqControlModeType | iso20Dc.BPT_Dynamic_DC_CLReqControlModeType,
): Targets {
  const vPresent = Math.max(rnum(req.EVPresentVoltage), 1);
  const iMax = rnum(d.EVMaximumChargeCurrent);
  const pMax = rnum(d.EVMaximumChargePower);
  const vMax = rnum(d.EVMaximumVoltage);
  const discharge = "EVMaximumDischargeCurrent" in d && rnum(d.EVTargetEnergyRequest) < 0;
  const targetCurrentA = discharge
    ? -Math.min(
        Math.abs(rnum(d.EVMaximumDischargeCurrent)),
        Math.abs(rnum(d.EVMaximumDischargePower)) / vPresent,
      )
    : Math.min(iMax, pMax / vPresent);
  return { targetVoltageV: vMax, targetCurrentA, maxVoltageV: vMax, maxCurrentA: iMax, maxPowerW: pMax };
}

/** The EV's targets from the request's control mode, or undefined when it is not the session's. */
function targets(s: SeccState, req: iso20Dc.DC_ChargeLoopReqType): Targets | undefined {
  const bpt = isBptService(session20(s).serviceId);
  if (session20(s).controlMode === "dynamic") {
    const d = bpt ? req.BPT_Dynamic_DC_CLReqControlMode : req.Dynamic_DC_CLReqControlMode;
    return d ? dynamicTargets(req, d) : undefined;
  }
  const c = bpt ? req.BPT_Scheduled_DC_CLReqControlMode : req.Scheduled_DC_CLReqControlMode;
  if (!c) return undefined;
  const i = rnum(c.EVTargetCurrent);
  return {
    targetVoltageV: rnum(c.EVTargetVoltage),
    // a negative target current discharges only in a BPT session
    targetCurrentA: bpt ? i : Math.max(0, i),
    ...(c.EVMaximumVoltage && { maxVoltageV: rnum(c.EVMaximumVoltage) }),
    ...(c.EVMaximumChargeCurrent && { maxCurrentA: rnum(c.EVMaximumChargeCurrent) }),
    ...(c.EVMaximumChargePower && { maxPowerW: rnum(c.EVMaximumChargePower) }),
  };
}

/** The control-mode element the session expects, for the error detail. */
function expectedElement(s: SeccState): string {
  const bpt = isBptService(session20(s).serviceId) ? "BPT_" : "";
  return `${bpt}${session20(s).controlMode === "dynamic" ? "Dynamic" : "Scheduled"}_DC_CLReqControlMode`;
}

/** SECC handler of DC_ChargeLoopReq (neutral name CurrentDemand). */
export const dcChargeLoop: SeccHandler = {
  name: "CurrentDemand",
  res: "DC_ChargeLoopRes",
  handle(s, req: iso20Dc.DC_ChargeLoopReqType, _ctx: HandlerCtx, fx) {
    const t = targets(s, req);
    if (!t) {
      const detail = `DC_ChargeLoopReq without ${expectedElement(s)}, the control mode of the session`;
      return {
        state: s,
        body: response(s, "FAILED", req.MeterInfoRequested),
        end: { reason: "failed-response", detail },
      };
    }
    const soc = req.DisplayParameters?.PresentSOC ?? s.ev.socPercent;
    const o = onCurrentDemand(s, { socPercent: soc, ...t }, fx);
    const flags = { v: o.voltageLimitAchieved, i: o.currentLimitAchieved, p: o.powerLimitAchieved };
    return { state: o.state, body: response(o.state, "OK", req.MeterInfoRequested, flags) };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType, false),
};
