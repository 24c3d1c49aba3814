/**
 * ISO 15118-20 SessionStopReq → Res (as libiso15118 and Josev answer it): Terminate ends the session; Pause
 * keeps the SessionID and the selected service for a later OK_OldSessionJoined; ServiceRenegotiation is not
 * supported (FAILED_NoServiceRenegotiationSupported, ServiceDiscoveryRes said so).
 */
import { onSessionStop } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { Body, iso20Common } from "./common.js";
import { ISO20_SERVICE_RENEGOTIATION_ANSWER, ISO20_SERVICE_RENEGOTIATION_SUPPORTED } from "./unsupported.js";

const res = (code: iso20Common.responseCodeType): Body<iso20Common.SessionStopResType> => ({
  ResponseCode: code,
});

/** SECC handler of SessionStopReq. */
export const sessionStop: SeccHandler = {
  name: "SessionStop",
  res: "SessionStopRes",
  handle(s, req: iso20Common.SessionStopReqType) {
    if (req.ChargingSession === "ServiceRenegotiation" && !ISO20_SERVICE_RENEGOTIATION_SUPPORTED)
      return { state: s, body: res(ISO20_SERVICE_RENEGOTIATION_ANSWER) };
    const r = onSessionStop(s, req.ChargingSession === "Pause");
    return {
      state: r.state,
      body: res("OK"),
      end: { reason: r.reason, detail: `SessionStopReq ${req.ChargingSession}` },
    };
  },
  failed: (_s, code) => res(code as iso20Common.responseCodeType),
};
