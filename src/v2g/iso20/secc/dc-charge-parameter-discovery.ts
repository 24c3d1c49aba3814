/**
 * ISO 15118-20 DC_ChargeParameterDiscoveryReq → Res (ISO 15118-20 digest §3.3): DC_CPDReqEnergyTransferMode
 * for the DC service (a BPT variant → FAILED_WrongChargeParameter, [V2G20-2272]); the EVSE's DC limits; an EV
 * whose maximum voltage is below the charger's minimum → FAILED_WrongChargeParameter and the session ends.
 */
import type { iso20Dc } from "../../../codecs/index.js";
import { onChargeParameters } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { EnergyTransferMode, SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import type { Body, iso20Common } from "./common.js";

function response(s: SeccState, code: iso20Common.responseCodeType) {
  const dc = s.readings.dc;
  const body: Body<iso20Dc.DC_ChargeParameterDiscoveryResType> = {
    ResponseCode: code,
    DC_CPDResEnergyTransferMode: {
      EVSEMaximumChargePower: rn(dc.maxPowerW),
      EVSEMinimumChargePower: rn(0),
      EVSEMaximumChargeCurrent: rn(dc.maxCurrentA),
      EVSEMinimumChargeCurrent: rn(dc.minCurrentA),
      EVSEMaximumVoltage: rn(dc.maxVoltageV),
      EVSEMinimumVoltage: rn(dc.minVoltageV),
    },
  };
  return body;
}

/** SECC handler of DC_ChargeParameterDiscoveryReq. */
export const dcChargeParameterDiscovery: SeccHandler = {
  name: "ChargeParameterDiscovery",
  res: "DC_ChargeParameterDiscoveryRes",
  handle(s, req: iso20Dc.DC_ChargeParameterDiscoveryReqType) {
    const p = req.DC_CPDReqEnergyTransferMode;
    if (!p) return { state: s, body: response(s, "FAILED_WrongChargeParameter") };
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
    return { state: r.state, body: response(r.state, "OK") };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
