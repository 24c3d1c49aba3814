/** DIN 70121 SessionStopReq (empty: DIN only terminates) / Res, fields per EcoG-io/iso15118. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { din } from "./common.js";

/** EVCC side of SessionStop. */
export const sessionStop: EvccMessage = {
  name: "SessionStop",
  req: "SessionStopReq",
  res: "SessionStopRes",
  build: (): din.SessionStopType => ({}),
  read: (r: din.SessionStopResType) => ({ code: r.ResponseCode }),
};
