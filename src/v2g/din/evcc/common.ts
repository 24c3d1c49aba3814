/** Shared pieces of the DIN 70121 EVCC messages: DC_EVStatus from the BMS readings. */
import type { din } from "../../../codecs/index.js";
import type { EvccState } from "../../session/evcc-state.js";

export type { din };

/**
 * DC_EVStatus (EcoG-io/iso15118 datatypes: EVReady, EVErrorCode, EVRESSSOC; DIN adds the two conditioning
 * flags).
 */
export function dinEvStatus(s: EvccState): din.DC_EVStatusType {
  const r = s.readings;
  return {
    EVReady: r.ready,
    EVCabinConditioning: false,
    EVRESSConditioning: false,
    EVErrorCode: r.errorCode,
    EVRESSSOC: Math.max(0, Math.min(100, Math.round(r.socPercent))),
  };
}
