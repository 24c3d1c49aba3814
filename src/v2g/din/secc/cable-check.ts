/**
 * DIN 70121 CableCheckReq → CableCheckRes (IEC 61851-23 cable check as EVerest EvseManager runs it): Ongoing
 * (EVSE_IsolationMonitoringActive) while the isolation monitor runs; the IsolationLevel reported is the
 * monitor's; Fault ⇒ FAILED.
 */
import { dcEvseStatus, onCableCheck } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { din } from "./common.js";

function response(
  s: SeccState,
  code: din.responseCodeType,
  processing: "Finished" | "Ongoing",
): din.CableCheckResType {
  return {
    ResponseCode: code,
    DC_EVSEStatus: dcEvseStatus(s) as din.DC_EVSEStatusType,
    EVSEProcessing: processing,
  };
}

/** SECC handler of CableCheckReq. */
export const cableCheck: SeccHandler = {
  name: "CableCheck",
  res: "CableCheckRes",
  handle(s, _req: din.CableCheckReqType, ctx, fx) {
    const r = onCableCheck(s, ctx.tMs, fx);
    const body = response(r.state, r.failed ? "FAILED" : "OK", r.processing);
    return r.failed
      ? {
          state: r.state,
          body,
          processing: r.processing,
          end: { reason: "failed-response", detail: "isolation fault" },
        }
      : { state: r.state, body, processing: r.processing };
  },
  failed: (s, code) => response(s, code as din.responseCodeType, "Finished"),
};
