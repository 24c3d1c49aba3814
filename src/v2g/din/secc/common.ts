/** Shared pieces of the DIN 70121 SECC handlers: response-code type, EVSEID bytes, physical values. */
import type { din } from "../../../codecs/index.js";
import type { SeccState } from "../../session/secc-state.js";

export type { din };
/** DIN responseCodeType. */
export type DinCode = din.responseCodeType;

/** DIN EVSEID (hexBinary, ≤ 32 bytes): the ASCII bytes of the configured EVSEID. */
export function dinEvseId(s: SeccState): Uint8Array {
  const b = new TextEncoder().encode(s.cfg.evseId);
  return b.length === 0 ? Uint8Array.of(0) : b.subarray(0, 32);
}

/** PMax of the DIN SAScheduleList (PMaxType, xs:short): the power limit, capped at 32767. */
export const DIN_PMAX_CAP = 32767;

/** Whether the DIN request's ResponseCode means success. */
export function isOk(code: string): boolean {
  return code.startsWith("OK");
}
