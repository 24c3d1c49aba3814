/**
 * ISO 15118-2 MeteringReceiptReq (SessionID, SAScheduleTupleID, MeterInfo as received) / Res, fields per
 * EcoG-io/iso15118. Contract: with `Id`, signed with the contract key ([V2G2-903]).
 */
import { signFragments } from "../../pnc/xmldsig.js";
import { type EvccMessage, readAcStatus, readDcStatus } from "../../session/evcc-protocol.js";
import { activeContract } from "../../session/evcc-state.js";
import type { iso2 } from "./common.js";

/** Id of the signed MeteringReceiptReq. */
export const METERING_RECEIPT_REQ_ID = "ID1";

/** EVCC side of MeteringReceipt (EIM: unsigned; Contract: signed). */
export const meteringReceipt: EvccMessage = {
  name: "MeteringReceipt",
  req: "MeteringReceiptReq",
  res: "MeteringReceiptRes",
  build(s): iso2.MeteringReceiptReqType {
    const m = s.evse.meter;
    return {
      ...(s.payment === "Contract" && activeContract(s) !== undefined && { Id: METERING_RECEIPT_REQ_ID }),
      SessionID: s.sessionId ?? new Uint8Array(1),
      SAScheduleTupleID: s.evse.saScheduleTupleId,
      MeterInfo: {
        MeterID: m?.id ?? "unknown",
        ...(m?.readingWh !== undefined && { MeterReading: BigInt(Math.round(m.readingWh)) }),
        ...(m?.tMeter !== undefined && { TMeter: m.tMeter }),
      },
    };
  },
  signature(s, body: iso2.MeteringReceiptReqType) {
    const key = activeContract(s)?.privateKey;
    if (s.payment !== "Contract" || !key || !body.Id) return undefined;
    const sig = signFragments([{ MeteringReceiptReq: body }], key);
    if (s.cfg.pncFault === "bad-metering-signature") sig.SignatureValue.CONTENT[0]! ^= 0x01;
    return sig;
  },
  read: (r: iso2.MeteringReceiptResType) => ({
    code: r.ResponseCode,
    evse: r.DC_EVSEStatus
      ? readDcStatus(r.DC_EVSEStatus)
      : r.AC_EVSEStatus
        ? readAcStatus(r.AC_EVSEStatus)
        : {},
  }),
};
