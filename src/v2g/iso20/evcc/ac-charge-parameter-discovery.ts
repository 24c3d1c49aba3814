/**
 * ISO 15118-20 AC_ChargeParameterDiscoveryReq (AC_CPDReqEnergyTransferMode for AC, BPT_AC_CPDReqEnergyTransferMode
 * with the discharge powers for AC_BPT) / Res (EVSE charge power, nominal frequency, BPT discharge power).
 * Discharge limits are read as magnitudes (dSPACE sends them negative; the sign is unconfirmed).
 */
import type { iso20Ac } from "../../../codecs/index.js";
import { acNominalV, evAcMaxChargeW, evAcMaxDischargeW } from "../../session/evcc-ac20.js";
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { isBptService } from "../../session/iso20-session.js";
import { rn, rnum } from "../envelope.js";
import type { Body } from "./common.js";

/** EVCC side of AC_ChargeParameterDiscovery (neutral name ChargeParameterDiscovery). */
export const acChargeParameterDiscovery: EvccMessage = {
  name: "ChargeParameterDiscovery",
  req: "AC_ChargeParameterDiscoveryReq",
  res: "AC_ChargeParameterDiscoveryRes",
  build(s): Body<iso20Ac.AC_ChargeParameterDiscoveryReqType> {
    const charge = {
      EVMaximumChargePower: rn(evAcMaxChargeW(s)),
      EVMinimumChargePower: rn(s.readings.acMinCurrentA * acNominalV(s)),
    };
    if (!isBptService(evcc20(s).serviceId)) return { AC_CPDReqEnergyTransferMode: charge };
    return {
      BPT_AC_CPDReqEnergyTransferMode: {
        ...charge,
        EVMaximumDischargePower: rn(evAcMaxDischargeW(s)),
        EVMinimumDischargePower: rn(0),
      },
    };
  },
  read(r: iso20Ac.AC_ChargeParameterDiscoveryResType) {
    const bpt = r.BPT_AC_CPDResEnergyTransferMode;
    const d = bpt ?? r.AC_CPDResEnergyTransferMode;
    return {
      code: r.ResponseCode,
      evse: d
        ? {
            acMaxChargePowerW: Math.abs(rnum(d.EVSEMaximumChargePower)),
            acMaxDischargePowerW: bpt ? Math.abs(rnum(bpt.EVSEMaximumDischargePower)) : 0,
            acTargetPowerW: null,
          }
        : {},
    };
  },
};
