/** Shared pieces of the ISO 15118-2 EVCC messages: DC_EVStatus from the BMS readings. */
import type { iso2 } from "../../../codecs/index.js";
import type { EvccState } from "../../session/evcc-state.js";

export type { iso2 };

/** DC_EVStatus (EcoG-io/iso15118 datatypes: EVReady, EVErrorCode, EVRESSSOC). */
export function isoEvStatus(s: EvccState): iso2.DC_EVStatusType {
  const r = s.readings;
  return {
    EVReady: r.ready,
    EVErrorCode: r.errorCode,
    EVRESSSOC: Math.max(0, Math.min(100, Math.round(r.socPercent))),
  };
}
