/** ISO 15118-2 SessionStopReq (ChargingSession Terminate | Pause) / Res, fields per EcoG-io/iso15118. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { iso2 } from "./common.js";

/** EVCC side of SessionStop. */
export const sessionStop: EvccMessage = {
  name: "SessionStop",
  req: "SessionStopReq",
  res: "SessionStopRes",
  build: (s): iso2.SessionStopReqType => ({
    ChargingSession: s.stopRequested === "pause" ? "Pause" : "Terminate",
  }),
  read: (r: iso2.SessionStopResType) => ({ code: r.ResponseCode }),
};
