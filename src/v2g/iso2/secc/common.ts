/** Shared pieces of the ISO 15118-2 SECC handlers: status builders, MeterInfo, schedule tuple. */
import type { iso2 } from "../../../codecs/index.js";
import { acEvseStatus, dcEvseStatus } from "../../session/secc-logic.js";
import { isAcMode, type ReceiptMeter, type SeccState } from "../../session/secc-state.js";

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
 * The state after a response carrying `m` with ReceiptRequired `asked`: the MeterInfo the receipt must bring
 * back is remembered (or forgotten when no receipt was asked for).
 */
export function withReceiptMeter(s: SeccState, m: iso2.MeterInfoType, asked: boolean): SeccState {
  if (!asked) return s.receiptMeter ? { ...s, receiptMeter: null } : s;
  return {
    ...s,
    receiptMeter: {
      meterId: m.MeterID,
      ...(m.MeterReading !== undefined && { readingWh: m.MeterReading }),
      ...(m.TMeter !== undefined && { tMeterS: m.TMeter }),
    },
  };
}

/** Why the MeterInfo of a MeteringReceiptReq is not `sent` (null: it is the same). */
export function receiptMeterMismatch(got: iso2.MeterInfoType, sent: ReceiptMeter): string | null {
  if (got.MeterID !== sent.meterId)
    return `MeterID ${JSON.stringify(got.MeterID)}, sent ${JSON.stringify(sent.meterId)}`;
  if (got.MeterReading !== sent.readingWh)
    return `MeterReading ${got.MeterReading ?? "absent"} Wh, sent ${sent.readingWh ?? "absent"} Wh`;
  if (got.TMeter !== sent.tMeterS)
    return `TMeter ${got.TMeter ?? "absent"}, sent ${sent.tMeterS ?? "absent"}`;
  return null;
}

/** MeterInfo from the meter port: MeterID, reading (Wh), TMeter (Unix s). */
export function meterInfo(s: SeccState, tMs: number): iso2.MeterInfoType {
  return {
    MeterID: s.cfg.meterId,
    MeterReading: BigInt(Math.max(0, Math.round(s.readings.energyWh))),
    TMeter: BigInt(Math.floor(s.cfg.epochS + tMs / 1000)),
  };
}
