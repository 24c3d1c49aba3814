/**
 * ISO 15118-2 ChargingStatusReq (empty) / Res (EVSEMaxCurrent, MeterInfo, ReceiptRequired, AC_EVSEStatus),
 * fields per EcoG-io/iso15118.
 */
import { type EvccMessage, readAcStatus } from "../../session/evcc-protocol.js";
import { num } from "../../session/physical.js";
import type { iso2 } from "./common.js";
import { meterView } from "./current-demand.js";

/** EVCC side of ChargingStatus. */
export const chargingStatus: EvccMessage = {
  name: "ChargingStatus",
  req: "ChargingStatusReq",
  res: "ChargingStatusRes",
  build: (): iso2.ChargingStatusReqType => ({}),
  read: (r: iso2.ChargingStatusResType) => ({
    code: r.ResponseCode,
    evse: {
      saScheduleTupleId: r.SAScheduleTupleID,
      receiptRequired: r.ReceiptRequired ?? false,
      ...readAcStatus(r.AC_EVSEStatus),
      ...(r.EVSEMaxCurrent && { acMaxCurrentA: num(r.EVSEMaxCurrent) }),
      ...(r.MeterInfo && { meter: meterView(r.MeterInfo) }),
    },
  }),
};
