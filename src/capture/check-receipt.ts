/**
 * `nacs decode --check`: the ISO 15118-2 MeteringReceiptReq must carry back the MeterInfo of the response
 * that asked for it (CurrentDemandRes / ChargingStatusRes with ReceiptRequired), unchanged. RISE-V2G and
 * EcoG-io/iso15118 answer another one with FAILED_MeteringSignatureNotValid; a receipt that does not match
 * is reported as `RECEIPT_METER_INFO` (error), naming the field and both values. Pure code.
 */
import type { CheckFinding } from "./check-report.js";
import { bytesToHex } from "./keylog.js";

/** The MeterInfo fields a receipt must repeat. */
const FIELDS = ["MeterID", "MeterReading", "TMeter", "SigMeterReading", "MeterStatus"] as const;

type Meter = Partial<Record<(typeof FIELDS)[number], unknown>>;

/** Follows one capture's connections: `push` each decoded V2G message (its type and body). */
export interface ReceiptChecker {
  push(conn: number, type: string, body: Record<string, unknown> | undefined): CheckFinding | null;
}

const text = (v: unknown): string =>
  v === undefined ? "absent" : v instanceof Uint8Array ? `0x${bytesToHex(v)}` : String(v);

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Uint8Array && b instanceof Uint8Array
    ? a.length === b.length && a.every((x, i) => x === b[i])
    : a === b;

export function createReceiptChecker(): ReceiptChecker {
  /** Per connection: the MeterInfo of the last response that asked for a receipt (null: none asked). */
  const asked = new Map<number, Meter | null>();
  return {
    push(conn, type, body) {
      if (!body) return null;
      if (type === "CurrentDemandRes" || type === "ChargingStatusRes") {
        const meter = body.MeterInfo as Meter | undefined;
        asked.set(conn, body.ReceiptRequired === true && meter ? meter : null);
        return null;
      }
      if (type !== "MeteringReceiptReq") return null;
      const sent = asked.get(conn);
      asked.set(conn, null);
      const got = body.MeterInfo as Meter | undefined;
      if (!sent || !got) return null;
      const field = FIELDS.find((f) => !same(got[f], sent[f]));
      if (!field) return null;
      return {
        severity: "error",
        code: "RECEIPT_METER_INFO",
        message: `MeteringReceiptReq: MeterInfo.${field} is ${text(got[field])}, the response that asked for the receipt sent ${text(sent[field])} (the receipt repeats that MeterInfo)`,
      };
    },
  };
}
