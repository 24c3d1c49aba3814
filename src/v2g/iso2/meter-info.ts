/**
 * ISO 15118-2 MeterInfo as a MeteringReceiptReq repeats it: the EV signs the MeterInfo of the response that
 * asked for the receipt (ReceiptRequired), unchanged; RISE-V2G and EcoG-io/iso15118 answer another one
 * FAILED_MeteringSignatureNotValid. One comparison for the SECC and for `nacs decode --check`. Pure code.
 */
import type { iso2 } from "../../codecs/index.js";

/** The MeterInfo fields, in schema order. */
const FIELDS = ["MeterID", "MeterReading", "SigMeterReading", "MeterStatus", "TMeter"] as const;

/** A MeterInfo as decoded (typed, or a body read from a capture). */
export type MeterInfoLike = Partial<Record<(typeof FIELDS)[number], unknown>> | iso2.MeterInfoType;

/** The first field in which `got` is not `sent` (bytes compared by value), or null when they are the same. */
export function meterInfoDifference(got: MeterInfoLike, sent: MeterInfoLike): string | null {
  const g = got as Record<string, unknown>;
  const s = sent as Record<string, unknown>;
  const field = FIELDS.find((f) => !same(g[f], s[f]));
  return field ? `${field} ${text(g[field])}, sent ${text(s[field])}` : null;
}

function same(a: unknown, b: unknown): boolean {
  return a instanceof Uint8Array && b instanceof Uint8Array
    ? a.length === b.length && a.every((x, i) => x === b[i])
    : a === b;
}

function text(v: unknown): string {
  if (v === undefined) return "absent";
  if (v instanceof Uint8Array) return `0x${[...v].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
