/** ISO 15118-2 MeteringReceiptReq (SessionID, SAScheduleTupleID, MeterInfo as received) / Res, digest §5.3. */
import { type EvccMessage, readAcStatus, readDcStatus } from "../../session/evcc-protocol.js";
import type { iso2 } from "./common.js";

/** EVCC side of MeteringReceipt (EIM: unsigned). */
export const meteringReceipt: EvccMessage = {
  name: "MeteringReceipt",
  req: "MeteringReceiptReq",
  res: "MeteringReceiptRes",
  build(s): iso2.MeteringReceiptReqType {
    const m = s.evse.meter;
    return {
      SessionID: s.sessionId ?? new Uint8Array(1),
      SAScheduleTupleID: s.evse.saScheduleTupleId,
      MeterInfo: {
        MeterID: m?.id ?? "unknown",
        ...(m?.readingWh !== undefined && { MeterReading: BigInt(Math.round(m.readingWh)) }),
        ...(m?.tMeter !== undefined && { TMeter: m.tMeter }),
      },
    };
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
