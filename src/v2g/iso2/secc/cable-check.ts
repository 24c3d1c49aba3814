/**
 * ISO 15118-2 CableCheckReq → CableCheckRes (IEC 61851-23 cable check as EVerest EvseManager runs it):
 * Ongoing while the isolation monitor runs (EVSE_IsolationMonitoringActive), IsolationLevel as the monitor
 * reports it; Fault ⇒ FAILED.
 */
import { onCableCheck } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type iso2, isoDcStatus } from "./common.js";

function response(
  s: SeccState,
  code: iso2.responseCodeType,
  processing: "Finished" | "Ongoing",
): iso2.CableCheckResType {
  return { ResponseCode: code, DC_EVSEStatus: isoDcStatus(s), EVSEProcessing: processing };
}

/** SECC handler of CableCheckReq. */
export const cableCheck: SeccHandler = {
  name: "CableCheck",
  res: "CableCheckRes",
  handle(s, _req: iso2.CableCheckReqType, ctx, fx) {
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
  failed: (s, code) => response(s, code as iso2.responseCodeType, "Finished"),
};
