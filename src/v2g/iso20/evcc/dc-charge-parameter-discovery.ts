/**
 * ISO 15118-20 DC_ChargeParameterDiscoveryReq (EV DC limits, TargetSOC; for DC_BPT the BPT variant with the
 * EV's discharge limits, positive magnitudes) / Res (EVSE DC limits, and its discharge limits read by
 * magnitude, since the sign is unconfirmed).
 */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { isBptService } from "../../session/iso20-session.js";
import { rn, rnum } from "../envelope.js";
import type { Body, iso20Dc } from "./common.js";

/** EVCC side of DC_ChargeParameterDiscovery. */
export const dcChargeParameterDiscovery: EvccMessage = {
  name: "ChargeParameterDiscovery",
  req: "DC_ChargeParameterDiscoveryReq",
  res: "DC_ChargeParameterDiscoveryRes",
  build(s): Body<iso20Dc.DC_ChargeParameterDiscoveryReqType> {
    const r = s.readings;
    const limits = {
      EVMaximumChargePower: rn(r.maxPowerW),
      EVMinimumChargePower: rn(0),
      EVMaximumChargeCurrent: rn(r.maxCurrentA),
      EVMinimumChargeCurrent: rn(0),
      EVMaximumVoltage: rn(r.maxVoltageV),
      EVMinimumVoltage: rn(0),
      TargetSOC: Math.round(Math.min(100, r.fullSocPercent)),
    };
    if (!isBptService(evcc20(s).serviceId)) return { DC_CPDReqEnergyTransferMode: limits };
    return {
      BPT_DC_CPDReqEnergyTransferMode: {
        ...limits,
        EVMaximumDischargePower: rn(r.maxDischargePowerW),
        EVMinimumDischargePower: rn(0),
        EVMaximumDischargeCurrent: rn(r.maxDischargeCurrentA),
        EVMinimumDischargeCurrent: rn(0),
      },
    };
  },
  read(r: iso20Dc.DC_ChargeParameterDiscoveryResType) {
    const b = r.BPT_DC_CPDResEnergyTransferMode;
    const d = r.DC_CPDResEnergyTransferMode ?? b;
    return {
      code: r.ResponseCode,
      evse: d
        ? {
            maxVoltageV: rnum(d.EVSEMaximumVoltage),
            minVoltageV: rnum(d.EVSEMinimumVoltage),
            maxCurrentA: rnum(d.EVSEMaximumChargeCurrent),
            maxPowerW: rnum(d.EVSEMaximumChargePower),
            ...(b && {
              maxDischargeCurrentA: Math.abs(rnum(b.EVSEMaximumDischargeCurrent)),
              maxDischargePowerW: Math.abs(rnum(b.EVSEMaximumDischargePower)),
            }),
          }
        : {},
    };
  },
};
