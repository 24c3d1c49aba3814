/** ISO 15118-20 DC_ChargeParameterDiscoveryReq (EV DC limits, TargetSOC) / Res (EVSE DC limits), digest §3.3. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { rn, rnum } from "../envelope.js";
import type { Body, iso20Dc } from "./common.js";

/** EVCC side of DC_ChargeParameterDiscovery. */
export const dcChargeParameterDiscovery: EvccMessage = {
  name: "ChargeParameterDiscovery",
  req: "DC_ChargeParameterDiscoveryReq",
  res: "DC_ChargeParameterDiscoveryRes",
  build(s): Body<iso20Dc.DC_ChargeParameterDiscoveryReqType> {
    const r = s.readings;
    return {
      DC_CPDReqEnergyTransferMode: {
        EVMaximumChargePower: rn(r.maxPowerW),
        EVMinimumChargePower: rn(0),
        EVMaximumChargeCurrent: rn(r.maxCurrentA),
        EVMinimumChargeCurrent: rn(0),
        EVMaximumVoltage: rn(r.maxVoltageV),
        EVMinimumVoltage: rn(0),
        TargetSOC: Math.round(Math.min(100, r.fullSocPercent)),
      },
    };
  },
  read(r: iso20Dc.DC_ChargeParameterDiscoveryResType) {
    const d = r.DC_CPDResEnergyTransferMode ?? r.BPT_DC_CPDResEnergyTransferMode;
    return {
      code: r.ResponseCode,
      evse: d
        ? {
            maxVoltageV: rnum(d.EVSEMaximumVoltage),
            minVoltageV: rnum(d.EVSEMinimumVoltage),
            maxCurrentA: rnum(d.EVSEMaximumChargeCurrent),
            maxPowerW: rnum(d.EVSEMaximumChargePower),
          }
        : {},
    };
  },
};
