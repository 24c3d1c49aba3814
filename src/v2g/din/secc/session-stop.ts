/** DIN 70121 SessionStopReq → SessionStopRes (fields per EcoG-io/iso15118): terminate (DIN has no pause). */
import { onSessionStop } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { din } from "./common.js";

/** SECC handler of SessionStopReq. */
export const sessionStop: SeccHandler = {
  name: "SessionStop",
  res: "SessionStopRes",
  handle(s, _req: din.SessionStopType) {
    const r = onSessionStop(s, false);
    const body: din.SessionStopResType = { ResponseCode: "OK" };
    return { state: r.state, body, end: { reason: r.reason, detail: "SessionStopReq" } };
  },
  failed: (_s, code) => ({ ResponseCode: code as din.responseCodeType }),
};
