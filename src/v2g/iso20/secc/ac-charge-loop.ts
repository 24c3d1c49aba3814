/**
 * ISO 15118-20 AC_ChargeLoopReq → Res (ISO 15118-20 V2G_CI_AC schema; discharge sign as in Josev and
 * EVerest). The control-mode element must be the session's, BPT or not as the selected service (Scheduled_ /
 * Dynamic_ for AC, BPT_Scheduled_ / BPT_Dynamic_ for AC_BPT), else FAILED and the session ends. The SECC
 * answers EVSETargetActivePower — mandatory in Dynamic, where the EVSE sets the power; in Scheduled the EV
 * follows its schedule and the target is the EVSE's limit in the chosen direction — negative for discharge
 * (BPT_ChannelSelection Discharge); EVSEPresentActivePower from the meter; MeterInfo when asked
 * ([V2G20-1082]) with BPT_DischargedEnergyReadingWh for AC_BPT; EVSEStatus Terminate for a pending stop, an
 * emergency or a fault. The EV's on-board charger draws (or feeds back) the current: the SECC commands no
 * power stage, as in ISO 15118-2 AC.
 */
import type { iso20Ac } from "../../../codecs/index.js";
import { isBptService } from "../../session/iso20-session.js";
import type { HandlerCtx, SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import { acSupplyPowerW, type Body, evseStatus, type iso20Common, meterInfo, session20 } from "./common.js";

type Req = iso20Ac.AC_ChargeLoopReqType;
type AnyMode = NonNullable<
  | Req["Scheduled_AC_CLReqControlMode"]
  | Req["Dynamic_AC_CLReqControlMode"]
  | Req["BPT_Scheduled_AC_CLReqControlMode"]
  | Req["BPT_Dynamic_AC_CLReqControlMode"]
>;

/** Name of the control-mode element the session expects. */
function expectedElement(s: SeccState): keyof Req {
  const i = session20(s);
  const bpt = isBptService(i.serviceId) ? "BPT_" : "";
  const mode = i.controlMode === "dynamic" ? "Dynamic" : "Scheduled";
  return `${bpt}${mode}_AC_CLReqControlMode` as keyof Req;
}

/**
 * The active power the EVSE sets (W; negative = discharge). Charge: the smaller of the supply's and the EV's
 * maximum charge power (Dynamic: 0 once the EV wants no more energy). Discharge: minus the smaller of the
 * supply's and the EV's maximum discharge power (Dynamic: 0 once the EV has nothing more to give, its
 * EVMinimumEnergyRequest no longer negative).
 */
export function acTargetPowerW(s: SeccState, m: AnyMode, dynamic: boolean): number {
  const lim = acSupplyPowerW(s);
  if (session20(s).bptChannel === "Discharge") {
    const ev =
      "EVMaximumDischargePower" in m && m.EVMaximumDischargePower
        ? Math.abs(rnum(m.EVMaximumDischargePower))
        : session20(s).evMaxDischargePowerW;
    const give = dynamic && "EVMinimumEnergyRequest" in m ? rnum(m.EVMinimumEnergyRequest) < 0 : true;
    const p = Math.min(lim.dischargeW, ev > 0 ? ev : lim.dischargeW);
    return give ? -p : 0;
  }
  const ev = m.EVMaximumChargePower ? Math.abs(rnum(m.EVMaximumChargePower)) : s.ev.maxPowerW;
  const want = dynamic && "EVTargetEnergyRequest" in m ? rnum(m.EVTargetEnergyRequest) > 0 : true;
  const p = Math.min(lim.chargeW, ev > 0 ? ev : lim.chargeW);
  return want ? p : 0;
}

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
  meter: boolean,
  targetW: number,
): Body<iso20Ac.AC_ChargeLoopResType> {
  const r = s.readings;
  const i = session20(s);
  const bpt = isBptService(i.serviceId);
  const st = evseStatus(s);
  const present = rn(r.presentVoltageV * r.presentCurrentA);
  const mode = { EVSETargetActivePower: rn(targetW), EVSEPresentActivePower: present };
  const key = `${bpt ? "BPT_" : ""}${i.controlMode === "dynamic" ? "Dynamic" : "Scheduled"}_AC_CLResControlMode`;
  return {
    ResponseCode: code,
    ...(st && { EVSEStatus: st }),
    ...(meter && { MeterInfo: meterInfo(s) }),
    [key]: mode,
  };
}

/** SECC handler of AC_ChargeLoopReq (neutral name ChargingStatus, the ISO-2 AC loop). */
export const acChargeLoop: SeccHandler = {
  name: "ChargingStatus",
  res: "AC_ChargeLoopRes",
  handle(s, req: Req, _ctx: HandlerCtx) {
    const el = expectedElement(s);
    const m = req[el] as AnyMode | undefined;
    if (!m) {
      const detail = `AC_ChargeLoopReq without ${String(el)}, the control mode of the session's service`;
      return {
        state: s,
        body: response(s, "FAILED", req.MeterInfoRequested, 0),
        end: { reason: "failed-response", detail },
      };
    }
    const dynamic = session20(s).controlMode === "dynamic";
    const targetW = acTargetPowerW(s, m, dynamic);
    const v = Math.max(s.readings.ac.nominalVoltageV, 1);
    const soc = req.DisplayParameters?.PresentSOC ?? s.ev.socPercent;
    const ev = {
      ...s.ev,
      socPercent: soc,
      targetCurrentA: rnum(m.EVPresentActivePower) / v,
      ...(m.EVMaximumChargePower && { maxPowerW: Math.abs(rnum(m.EVMaximumChargePower)) }),
    };
    const st: SeccState = { ...s, ev };
    return { state: st, body: response(st, "OK", req.MeterInfoRequested, targetW) };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType, false, 0),
};
