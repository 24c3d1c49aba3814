/**
 * ISO 15118-20 DC_ChargeParameterDiscoveryReq → Res (ISO 15118-20 V2G_CI_DC schema): the variant must match
 * the selected service — DC_CPDReqEnergyTransferMode for DC, BPT_DC_CPDReqEnergyTransferMode for DC_BPT —
 * else FAILED_WrongChargeParameter ([V2G20-2272]). The response carries the EVSE's DC limits, and for DC_BPT
 * its discharge limits (positive magnitudes; received discharge limits are read by magnitude, since dSPACE
 * sends them negative). An EV whose maximum voltage is below the charger's minimum →
 * FAILED_WrongChargeParameter and the session ends.
 */
import type { iso20Dc } from "../../../codecs/index.js";
import { isBptService } from "../../session/iso20-session.js";
import { onChargeParameters } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { EnergyTransferMode, SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import { type Body, type iso20Common, session20 } from "./common.js";

function response(s: SeccState, code: iso20Common.responseCodeType) {
  const dc = s.readings.dc;
  const limits = {
    EVSEMaximumChargePower: rn(dc.maxPowerW),
    EVSEMinimumChargePower: rn(0),
    EVSEMaximumChargeCurrent: rn(dc.maxCurrentA),
    EVSEMinimumChargeCurrent: rn(dc.minCurrentA),
    EVSEMaximumVoltage: rn(dc.maxVoltageV),
    EVSEMinimumVoltage: rn(dc.minVoltageV),
  };
  const body: Body<iso20Dc.DC_ChargeParameterDiscoveryResType> = isBptService(session20(s).serviceId)
    ? {
        ResponseCode: code,
        BPT_DC_CPDResEnergyTransferMode: {
          ...limits,
          EVSEMaximumDischargePower: rn(dc.maxDischargePowerW),
          EVSEMinimumDischargePower: rn(0),
          EVSEMaximumDischargeCurrent: rn(dc.maxDischargeCurrentA),
          EVSEMinimumDischargeCurrent: rn(0),
        },
      }
    : { ResponseCode: code, DC_CPDResEnergyTransferMode: limits };
  return body;
}

/** SECC handler of DC_ChargeParameterDiscoveryReq. */
export const dcChargeParameterDiscovery: SeccHandler = {
  name: "ChargeParameterDiscovery",
  res: "DC_ChargeParameterDiscoveryRes",
  handle(s, req: iso20Dc.DC_ChargeParameterDiscoveryReqType) {
    const bpt = isBptService(session20(s).serviceId);
    const p = bpt ? req.BPT_DC_CPDReqEnergyTransferMode : req.DC_CPDReqEnergyTransferMode;
    if (!p) {
      const want = bpt ? "BPT_DC_CPDReqEnergyTransferMode" : "DC_CPDReqEnergyTransferMode";
      const detail = `DC_ChargeParameterDiscoveryReq without ${want} of the selected service ([V2G20-2272])`;
      return {
        state: s,
        body: response(s, "FAILED_WrongChargeParameter"),
        end: { reason: "failed-response", detail },
      };
    }
    const mode: EnergyTransferMode = s.cfg.energyModes.find((m) => m.startsWith("DC")) ?? "DC_extended";
    const r = onChargeParameters(s, {
      mode,
      maxVoltageV: rnum(p.EVMaximumVoltage),
      maxCurrentA: rnum(p.EVMaximumChargeCurrent),
      maxPowerW: rnum(p.EVMaximumChargePower),
    });
    if (r.wrongParameter) {
      const detail = `DC_ChargeParameterDiscoveryRes FAILED_WrongChargeParameter: ${r.wrongParameter}`;
      return {
        state: r.state,
        body: response(r.state, "FAILED_WrongChargeParameter"),
        end: { reason: "failed-response", detail },
      };
    }
    const b = req.BPT_DC_CPDReqEnergyTransferMode;
    const st: SeccState = b
      ? {
          ...r.state,
          ev: {
            ...r.state.ev,
            maxDischargeCurrentA: Math.abs(rnum(b.EVMaximumDischargeCurrent)),
            maxDischargePowerW: Math.abs(rnum(b.EVMaximumDischargePower)),
          },
        }
      : r.state;
    return { state: st, body: response(st, "OK") };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
