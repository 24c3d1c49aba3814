/** DIN 70121 CableCheckReq / Res (fields per EcoG-io/iso15118): EVSEProcessing and the isolation status. */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { type din, dinEvStatus } from "./common.js";

/** EVCC side of CableCheck. */
export const cableCheck: EvccMessage = {
  name: "CableCheck",
  req: "CableCheckReq",
  res: "CableCheckRes",
  build: (s): din.CableCheckReqType => ({ DC_EVStatus: dinEvStatus(s) }),
  read: (r: din.CableCheckResType) => ({
    code: r.ResponseCode,
    processing: r.EVSEProcessing,
    evse: readDcStatus(r.DC_EVSEStatus),
  }),
};
