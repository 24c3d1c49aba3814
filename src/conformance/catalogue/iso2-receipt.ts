/**
 * SECC under test, ISO 15118-2 metering receipts (DC and AC, EIM), for a SUT that asks for them (profile
 * `receipts`): with ReceiptRequired in CurrentDemandRes / ChargingStatusRes the EV answers with a
 * MeteringReceiptReq that repeats the response's MeterInfo. A receipt of that MeterInfo is answered OK and
 * the charge loop goes on; a receipt of another MeterInfo is refused (FAILED_MeteringSignatureNotValid, as
 * RISE-V2G and EcoG-io/iso15118 answer it; the generic FAILED is taken too) and the session ends.
 */
import type { CaseGroup, ConformanceCase } from "../types.js";
import { answered, at, failedThenClose, seccCase } from "./shape.js";

/** The MeterID the tester puts in its receipt instead of the SECC's. */
const FORGED_METER_ID = "NACS-FORGED";

const c = (group: CaseGroup, x: Parameters<typeof seccCase>[2]) =>
  seccCase("iso2", group, { ...x, needsReceipts: true });

/** The two cases of one energy transfer: `loop` is the response that asks for the receipt. */
function receiptCases(energy: "dc" | "ac", ids: { normal: string; value: string }): ConformanceCase[] {
  const loop = energy === "ac" ? "ChargingStatusRes" : "CurrentDemandRes";
  const ev = energy === "ac" ? { ev: { energy: "ac" as const } } : {};
  return [
    c("normal", {
      id: ids.normal,
      title: `MeteringReceiptReq with the MeterInfo of the ${loop} that asked for it: answered OK, the loop goes on`,
      requirement: ["ISO 15118-2 MeteringReceiptReq MeterInfo", `ISO 15118-2 ${loop} ReceiptRequired`],
      tester: { kind: "observe", at: at("MeteringReceiptReq") },
      expect: answered("MeteringReceiptRes", ["OK"]),
      ...ev,
    }),
    c("value", {
      id: ids.value,
      title: `MeteringReceiptReq with another MeterID than the ${loop} gave → FAILED_MeteringSignatureNotValid`,
      requirement: [
        "ISO 15118-2 MeteringReceiptReq MeterInfo",
        "ISO 15118-2 ResponseCode FAILED_MeteringSignatureNotValid",
      ],
      tester: { kind: "mutate", at: at("MeteringReceiptReq"), set: { "MeterInfo.MeterID": FORGED_METER_ID } },
      expect: failedThenClose("MeteringReceiptRes", ["FAILED_MeteringSignatureNotValid", "FAILED"]),
      ...ev,
    }),
  ];
}

export const ISO2_RECEIPT: readonly ConformanceCase[] = [
  ...receiptCases("dc", { normal: "secc-iso2-normal-007", value: "secc-iso2-value-010" }),
  ...receiptCases("ac", { normal: "secc-iso2-ac-normal-005", value: "secc-iso2-ac-value-003" }),
];
