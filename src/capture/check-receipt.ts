/**
 * `nacs decode --check`: the ISO 15118-2 MeteringReceiptReq must carry back the MeterInfo of the response
 * that asked for it (CurrentDemandRes / ChargingStatusRes with ReceiptRequired), unchanged; the comparison is
 * the SECC's own (`meterInfoDifference`). A receipt that does not match is reported as `RECEIPT_METER_INFO`
 * (error), naming the field and both values. Pure code.
 */
import { type MeterInfoLike, meterInfoDifference } from "../v2g/iso2/meter-info.js";
import type { CheckFinding } from "./check-report.js";

/** Follows one capture's connections: `push` each decoded V2G message (its type and body). */
export interface ReceiptChecker {
  push(conn: number, type: string, body: Record<string, unknown> | undefined): CheckFinding | null;
}

export function createReceiptChecker(): ReceiptChecker {
  /** Per connection: the MeterInfo of the last response that asked for a receipt (null: none asked). */
  const asked = new Map<number, MeterInfoLike | null>();
  return {
    push(conn, type, body) {
      if (!body) return null;
      if (type === "CurrentDemandRes" || type === "ChargingStatusRes") {
        const meter = body.MeterInfo as MeterInfoLike | undefined;
        asked.set(conn, body.ReceiptRequired === true && meter ? meter : null);
        return null;
      }
      if (type !== "MeteringReceiptReq") return null;
      const sent = asked.get(conn);
      asked.set(conn, null);
      const got = body.MeterInfo as MeterInfoLike | undefined;
      const diff = sent && got ? meterInfoDifference(got, sent) : null;
      return diff
        ? {
            severity: "error",
            code: "RECEIPT_METER_INFO",
            message: `MeteringReceiptReq: MeterInfo is not the one of the response that asked for the receipt (${diff})`,
          }
        : null;
    },
  };
}
