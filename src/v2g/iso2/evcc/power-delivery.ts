/**
 * ISO 15118-2 PowerDeliveryReq (ChargeProgress Start / Stop / Renegotiate, SAScheduleTupleID) / Res, fields
 * per EcoG-io/iso15118.
 */
import { type EvccMessage, readAcStatus, readDcStatus } from "../../session/evcc-protocol.js";
import { evccIsAc } from "../../session/evcc-state.js";
import { type iso2, isoEvStatus } from "./common.js";

const PROGRESS = { start: "Start", stop: "Stop", renegotiate: "Renegotiate" } as const;

/** EVCC side of PowerDelivery. */
export const powerDelivery: EvccMessage = {
  name: "PowerDelivery",
  req: "PowerDeliveryReq",
  res: "PowerDeliveryRes",
  build(s): iso2.PowerDeliveryReqType {
    const r = s.readings;
    const req: iso2.PowerDeliveryReqType = {
      ChargeProgress: PROGRESS[s.progress],
      SAScheduleTupleID: s.evse.saScheduleTupleId,
    };
    if (!evccIsAc(s)) {
      req.DC_EVPowerDeliveryParameter = {
        DC_EVStatus: isoEvStatus(s),
        BulkChargingComplete: r.socPercent >= r.bulkSocPercent,
        ChargingComplete: s.progress === "stop" && r.socPercent >= r.fullSocPercent,
      };
    }
    return req;
  },
  read: (r: iso2.PowerDeliveryResType) => ({
    code: r.ResponseCode,
    evse: r.DC_EVSEStatus
      ? readDcStatus(r.DC_EVSEStatus)
      : r.AC_EVSEStatus
        ? readAcStatus(r.AC_EVSEStatus)
        : {},
  }),
};
