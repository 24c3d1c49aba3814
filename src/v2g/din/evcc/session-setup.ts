/** DIN 70121 SessionSetupReq (EVCCID = EV MAC) / SessionSetupRes (fields per EcoG-io/iso15118). */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { din } from "./common.js";

/** EVCC side of SessionSetup. */
export const sessionSetup: EvccMessage = {
  name: "SessionSetup",
  req: "SessionSetupReq",
  res: "SessionSetupRes",
  build: (s): din.SessionSetupReqType => ({ EVCCID: s.cfg.evccId }),
  read: (r: din.SessionSetupResType) => ({ code: r.ResponseCode }),
};
