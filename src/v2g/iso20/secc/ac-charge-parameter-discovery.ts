/**
 * ISO 15118-20 AC_ChargeParameterDiscoveryReq → Res (ISO 15118-20 V2G_CI_AC schema): the variant must match
 * the selected service — AC_CPDReqEnergyTransferMode for AC (1), BPT_AC_CPDReqEnergyTransferMode for AC_BPT
 * (5), anything else (a DC service, the other variant) → FAILED_WrongChargeParameter ([V2G20-1619]) and the
 * session ends. The response gives EVSEMaximum/MinimumChargePower, EVSENominalFrequency and, for AC_BPT,
 * EVSEMaximum/MinimumDischargePower (positive magnitudes as Josev and EVerest send them; sign unconfirmed).
 * Received discharge limits are read as magnitudes (dSPACE sends them negative).
 */
import type { iso20Ac } from "../../../codecs/index.js";
import { isAcService, isBptService } from "../../session/iso20-session.js";
import { onChargeParameters } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { type EnergyTransferMode, isAcMode, type SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import {
  acSupplyPowerW,
  type Body,
  ISO20_AC_NOMINAL_FREQUENCY_HZ,
  type iso20Common,
  session20,
  with20,
} from "./common.js";

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
): Body<iso20Ac.AC_ChargeParameterDiscoveryResType> {
  const p = acSupplyPowerW(s);
  const base = {
    EVSEMaximumChargePower: rn(p.chargeW),
    EVSEMinimumChargePower: rn(0),
    EVSENominalFrequency: rn(ISO20_AC_NOMINAL_FREQUENCY_HZ),
  };
  if (isBptService(session20(s).serviceId))
    return {
      ResponseCode: code,
      BPT_AC_CPDResEnergyTransferMode: {
        ...base,
        EVSEMaximumDischargePower: rn(p.dischargeW),
        EVSEMinimumDischargePower: rn(0),
      },
    };
  return { ResponseCode: code, AC_CPDResEnergyTransferMode: base };
}

/** Why the request's variant does not fit the selected service, or null. */
function wrongVariant(s: SeccState, req: iso20Ac.AC_ChargeParameterDiscoveryReqType): string | null {
  const id = session20(s).serviceId;
  if (!isAcService(id))
    return `AC_ChargeParameterDiscoveryReq for the selected service ${id ?? "none"} (not AC)`;
  const bpt = isBptService(id);
  if (bpt && !req.BPT_AC_CPDReqEnergyTransferMode)
    return "AC_BPT service selected, but no BPT_AC_CPDReqEnergyTransferMode";
  if (!bpt && !req.AC_CPDReqEnergyTransferMode)
    return "AC service selected, but no AC_CPDReqEnergyTransferMode";
  return null;
}

/** SECC handler of AC_ChargeParameterDiscoveryReq (neutral name ChargeParameterDiscovery). */
export const acChargeParameterDiscovery: SeccHandler = {
  name: "ChargeParameterDiscovery",
  res: "AC_ChargeParameterDiscoveryRes",
  handle(s, req: iso20Ac.AC_ChargeParameterDiscoveryReqType) {
    const wrong = wrongVariant(s, req);
    if (wrong)
      return {
        state: s,
        body: response(s, "FAILED_WrongChargeParameter"),
        end: {
          reason: "failed-response",
          detail: `AC_ChargeParameterDiscoveryRes FAILED_WrongChargeParameter: ${wrong}`,
        },
      };
    const bpt = req.BPT_AC_CPDReqEnergyTransferMode;
    const p = bpt ?? req.AC_CPDReqEnergyTransferMode!;
    const mode: EnergyTransferMode = s.cfg.energyModes.find((m) => isAcMode(m)) ?? "AC_single_phase_core";
    const maxPowerW = Math.abs(rnum(p.EVMaximumChargePower));
    const v = s.readings.ac.nominalVoltageV;
    // -20 AC carries no EV voltage: the EV's current follows from its power at the supply's nominal voltage.
    const r = onChargeParameters(s, {
      mode,
      maxVoltageV: 0,
      maxCurrentA: maxPowerW / Math.max(v, 1),
      maxPowerW,
    });
    const st = with20(r.state, {
      evMaxDischargePowerW: bpt ? Math.abs(rnum(bpt.EVMaximumDischargePower)) : 0,
    });
    return { state: st, body: response(st, "OK") };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
