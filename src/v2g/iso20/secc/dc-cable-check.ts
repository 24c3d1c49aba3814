/**
 * ISO 15118-20 DC_CableCheckReq → Res: CP C/D, contactors closed (IEC 61851-23 6.4.3.106 as cited by Josev),
 * isolation test at the cable-check voltage; Ongoing until the monitor reports; Fault ⇒ FAILED and the
 * session ends.
 */
import type { iso20Dc } from "../../../codecs/index.js";
import { onCableCheck } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { Body, iso20Common } from "./common.js";

function response(
  code: iso20Common.responseCodeType,
  processing: "Finished" | "Ongoing",
): Body<iso20Dc.DC_CableCheckResType> {
  return { ResponseCode: code, EVSEProcessing: processing };
}

/** SECC handler of DC_CableCheckReq. */
export const dcCableCheck: SeccHandler = {
  name: "CableCheck",
  res: "DC_CableCheckRes",
  handle(s, _req: iso20Dc.DC_CableCheckReqType, ctx, fx) {
    const r = onCableCheck(s, ctx.tMs, fx);
    const body = response(r.failed ? "FAILED" : "OK", r.processing);
    if (!r.failed) return { state: r.state, body, processing: r.processing };
    return {
      state: r.state,
      body,
      processing: r.processing,
      end: { reason: "failed-response", detail: "isolation fault" },
    };
  },
  failed: (_s, code) => response(code as iso20Common.responseCodeType, "Finished"),
};
