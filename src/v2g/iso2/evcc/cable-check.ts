/** ISO 15118-2 CableCheckReq / Res (EVSEProcessing, isolation status), fields per EcoG-io/iso15118. */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { type iso2, isoEvStatus } from "./common.js";

/** EVCC side of CableCheck. */
export const cableCheck: EvccMessage = {
  name: "CableCheck",
  req: "CableCheckReq",
  res: "CableCheckRes",
  build: (s): iso2.CableCheckReqType => ({ DC_EVStatus: isoEvStatus(s) }),
  read: (r: iso2.CableCheckResType) => ({
    code: r.ResponseCode,
    processing: r.EVSEProcessing,
    evse: readDcStatus(r.DC_EVSEStatus),
  }),
};
