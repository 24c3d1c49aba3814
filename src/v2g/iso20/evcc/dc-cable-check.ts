/** ISO 15118-20 DC_CableCheckReq (empty) / Res (EVSEProcessing). */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { Body, iso20Dc } from "./common.js";

/** EVCC side of DC_CableCheck. */
export const dcCableCheck: EvccMessage = {
  name: "CableCheck",
  req: "DC_CableCheckReq",
  res: "DC_CableCheckRes",
  build: (): Body<iso20Dc.DC_CableCheckReqType> => ({}),
  read: (r: iso20Dc.DC_CableCheckResType) => ({ code: r.ResponseCode, processing: r.EVSEProcessing }),
};
