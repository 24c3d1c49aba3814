/** ISO 15118-20 SessionStopReq (ChargingSession Terminate | Pause) / Res. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of SessionStop. */
export const sessionStop: EvccMessage = {
  name: "SessionStop",
  req: "SessionStopReq",
  res: "SessionStopRes",
  build: (s): Body<iso20Common.SessionStopReqType> => ({
    ChargingSession: s.stopRequested === "pause" ? "Pause" : "Terminate",
  }),
  read: (r: iso20Common.SessionStopResType) => ({ code: r.ResponseCode }),
};
