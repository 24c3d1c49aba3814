/**
 * ISO 15118-20 AC_ChargeLoopReq (DisplayParameters with the SOC, MeterInfoRequested and the session's control
 * mode, BPT or not as the service: Scheduled → EVPresentActivePower and the EV's power limits; Dynamic →
 * energy requests, limits and present powers, the EVSE sets the power) / Res (EVSETargetActivePower,
 * EVSEStatus, MeterInfo). Energy requests: to the target SOC, to the full SOC, and to the minimum SOC
 * (negative above it: what a bidirectional EV can give; Josev sends such negative requests).
 */
import type { iso20Ac } from "../../../codecs/index.js";
import { acNominalV, energyToSocWh, evAcMaxChargeW, evAcMaxDischargeW } from "../../session/evcc-ac20.js";
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { EvccState } from "../../session/evcc-state.js";
import { isBptService } from "../../session/iso20-session.js";
import { rn, rnum } from "../envelope.js";
import { type Body, readEvseStatus } from "./common.js";

type Res = iso20Ac.AC_ChargeLoopResType;

/**
 * `limits` with the EV's discharge limits (BPT). The spreads in this file come after plain keys: an object
 * literal that starts with a spread and adds keys gets a new V8 hidden class per call
 * (testing/hidden-class.ts).
 */
function withDischarge<T extends object>(s: EvccState, limits: T) {
  return { EVMaximumDischargePower: rn(evAcMaxDischargeW(s)), EVMinimumDischargePower: rn(0), ...limits };
}

/** EVCC side of AC_ChargeLoop (neutral name ChargingStatus). */
export const acChargeLoop: EvccMessage = {
  name: "ChargingStatus",
  req: "AC_ChargeLoopReq",
  res: "AC_ChargeLoopRes",
  build(s): Body<iso20Ac.AC_ChargeLoopReqType> {
    const r = s.readings;
    const i = evcc20(s);
    const bpt = isBptService(i.serviceId);
    const discharging = i.bptChannel === "Discharge";
    const minSoc = bpt ? r.minSocPercent : 0;
    const base = {
      DisplayParameters: {
        PresentSOC: Math.max(0, Math.min(100, Math.round(r.socPercent))),
        ...(bpt && { MinimumSOC: Math.round(Math.max(0, Math.min(100, r.minSocPercent))) }),
        TargetSOC: Math.round(Math.min(100, r.fullSocPercent)),
        ChargingComplete: discharging ? r.socPercent <= r.minSocPercent : r.socPercent >= r.fullSocPercent,
      },
      MeterInfoRequested: true,
    };
    const present = rn(i.acCurrentA * acNominalV(s));
    const power = {
      EVMaximumChargePower: rn(evAcMaxChargeW(s)),
      EVMinimumChargePower: rn(0),
      EVPresentActivePower: present,
    };
    if (i.controlMode === "dynamic") {
      const toFull = Math.max(0, energyToSocWh(s, r.fullSocPercent));
      const toMin = bpt ? energyToSocWh(s, minSoc) : 0;
      const dyn = {
        EVTargetEnergyRequest: rn(discharging ? Math.min(0, toMin) : toFull),
        EVMaximumEnergyRequest: rn(toFull),
        EVMinimumEnergyRequest: rn(toMin),
        ...power,
        EVPresentReactivePower: rn(0),
      };
      return bpt
        ? { BPT_Dynamic_AC_CLReqControlMode: withDischarge(s, dyn), ...base }
        : { Dynamic_AC_CLReqControlMode: dyn, ...base };
    }
    return bpt
      ? { BPT_Scheduled_AC_CLReqControlMode: withDischarge(s, power), ...base }
      : { Scheduled_AC_CLReqControlMode: power, ...base };
  },
  read(r: Res) {
    const m =
      r.BPT_Dynamic_AC_CLResControlMode ??
      r.Dynamic_AC_CLResControlMode ??
      r.BPT_Scheduled_AC_CLResControlMode ??
      r.Scheduled_AC_CLResControlMode;
    return {
      code: r.ResponseCode,
      evse: {
        acTargetPowerW: m?.EVSETargetActivePower ? rnum(m.EVSETargetActivePower) : null,
        ...readEvseStatus(r.EVSEStatus),
        ...(r.MeterInfo && {
          meter: { id: r.MeterInfo.MeterID, readingWh: Number(r.MeterInfo.ChargedEnergyReadingWh) },
        }),
      },
    };
  },
};
