/**
 * ISO 15118-2 SessionStopReq → SessionStopRes (fields per EcoG-io/iso15118): Terminate ends the session;
 * Pause keeps the SessionID so a later SessionSetupReq carrying it gets OK_OldSessionJoined.
 */
import { onSessionStop } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { iso2 } from "./common.js";

/** SECC handler of SessionStopReq. */
export const sessionStop: SeccHandler = {
  name: "SessionStop",
  res: "SessionStopRes",
  handle(s, req: iso2.SessionStopReqType) {
    const r = onSessionStop(s, req.ChargingSession === "Pause");
    const body: iso2.SessionStopResType = { ResponseCode: "OK" };
    return {
      state: r.state,
      body,
      end: { reason: r.reason, detail: `SessionStopReq ${req.ChargingSession}` },
    };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType }),
};
