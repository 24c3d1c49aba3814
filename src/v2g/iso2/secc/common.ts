/** Shared pieces of the ISO 15118-2 SECC handlers: status builders, MeterInfo, schedule tuple. */
import type { iso2 } from "../../../codecs/index.js";
import { acEvseStatus, dcEvseStatus } from "../../session/secc-logic.js";
import { isAcMode, type SeccState } from "../../session/secc-state.js";

export type { iso2 };
/** ISO-2 responseCodeType. */
export type IsoCode = iso2.responseCodeType;

/** DC_EVSEStatus (ISO-2 shape). */
export function isoDcStatus(s: SeccState): iso2.DC_EVSEStatusType {
  return dcEvseStatus(s) as iso2.DC_EVSEStatusType;
}

/** AC_EVSEStatus (ISO-2 shape). */
export function isoAcStatus(s: SeccState): iso2.AC_EVSEStatusType {
  return acEvseStatus(s);
}

/** Whether the session's energy transfer is AC. */
export function sessionIsAc(s: SeccState): boolean {
  return isAcMode(s.ev.mode);
}

/**
 * The state after a response carrying MeterInfo `m`: with ReceiptRequired the MeteringReceiptReq must bring
 * `m` back, so it is remembered; otherwise none is asked for.
 */
export function withReceiptMeter(s: SeccState, m: iso2.MeterInfoType): SeccState {
  if (s.cfg.receiptRequired) return { ...s, receiptMeter: m };
  return s.receiptMeter ? { ...s, receiptMeter: null } : s;
}

/** MeterInfo from the meter port: MeterID, reading (Wh), TMeter (Unix s). */
export function meterInfo(s: SeccState, tMs: number): iso2.MeterInfoType {
  return {
    MeterID: s.cfg.meterId,
    MeterReading: BigInt(Math.max(0, Math.round(s.readings.energyWh))),
    TMeter: BigInt(Math.floor(s.cfg.epochS + tMs / 1000)),
  };
}
