/**
 * ISO 15118-2 SessionSetupReq (EVCCID) / Res (OK_NewSessionEstablished or OK_OldSessionJoined), fields per
 * EcoG-io/iso15118.
 */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { iso2 } from "./common.js";

/** EVCC side of SessionSetup. */
export const sessionSetup: EvccMessage = {
  name: "SessionSetup",
  req: "SessionSetupReq",
  res: "SessionSetupRes",
  build: (s): iso2.SessionSetupReqType => ({ EVCCID: s.cfg.evccId }),
  read: (r: iso2.SessionSetupResType) => ({ code: r.ResponseCode }),
};
