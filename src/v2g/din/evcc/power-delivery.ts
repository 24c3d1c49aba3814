/**
 * DIN 70121 PowerDeliveryReq (ReadyToChargeState true = start, false = stop) / Res, fields per
 * EcoG-io/iso15118.
 */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { type din, dinEvStatus } from "./common.js";

/** EVCC side of PowerDelivery (DIN has no renegotiation). */
export const powerDelivery: EvccMessage = {
  name: "PowerDelivery",
  req: "PowerDeliveryReq",
  res: "PowerDeliveryRes",
  build(s): din.PowerDeliveryReqType {
    const start = s.progress === "start";
    const r = s.readings;
    return {
      ReadyToChargeState: start,
      DC_EVPowerDeliveryParameter: {
        DC_EVStatus: dinEvStatus(s),
        BulkChargingComplete: r.socPercent >= r.bulkSocPercent,
        ChargingComplete: !start && r.socPercent >= r.fullSocPercent,
      },
    };
  },
  read: (r: din.PowerDeliveryResType) => ({
    code: r.ResponseCode,
    evse: r.DC_EVSEStatus ? readDcStatus(r.DC_EVSEStatus) : {},
  }),
};
