/**
 * ISO 15118-20 AuthorizationReq → Res: the selected service must be EIM (else
 * WARNING_AuthorizationSelectionInvalid, [V2G20-2209]); Ongoing while the payment port is pending; a
 * rejection is Finished + WARNING_EIMAuthorizationFailure ([V2G20-2219]/[V2G20-2230]), after which the EV may
 * ask again; still pending after the EIM budget (180 s, libiso15118 TIMEOUT_EIM_ONGOING) → FAILED and the
 * session ends. PnC (offered only on TLS 1.3 with -20 PnC configured): the checks of pnc-authorization.ts
 * first, then the payment port as for EIM (a rejection there is Finished +
 * WARNING_GeneralPnCAuthorizationError).
 */
import { onAuthorization } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { V2G_SECC_EIM_ONGOING_TIMEOUT_ISO20_MS } from "../../session/timeouts.js";
import { type Body, type Iso20Code, type iso20Common, session20, with20 } from "./common.js";
import { checkPnc20 } from "./pnc-authorization.js";

/** SECC handler of AuthorizationReq. */
export const authorization: SeccHandler = {
  name: "Authorization",
  res: "AuthorizationRes",
  handle(s0, req: iso20Common.AuthorizationReqType, ctx) {
    let s = s0;
    let okCode: Iso20Code = "OK";
    const selected = req.SelectedAuthorizationService;
    // the service must have been offered ([V2G20-2209]/[V2G20-2226]); PnC only when AuthorizationSetupRes offered it
    if (selected === "PnC" && session20(s).authServices.includes("PnC")) {
      const c = checkPnc20(s, req, ctx.message, ctx.tMs);
      if ("body" in c) return c;
      s = c.state;
      okCode = c.code;
    } else if (selected !== "EIM") {
      const body: Body<iso20Common.AuthorizationResType> = {
        ResponseCode: "WARNING_AuthorizationSelectionInvalid",
        EVSEProcessing: "Finished",
      };
      return { state: s, body, processing: "Finished" };
    }
    const { processing, failed } = onAuthorization(s);
    const since = session20(s).authOngoingSinceMs;
    if (
      processing === "Ongoing" &&
      since !== null &&
      ctx.tMs - since > V2G_SECC_EIM_ONGOING_TIMEOUT_ISO20_MS
    ) {
      const detail = `EIM authorisation still pending after ${V2G_SECC_EIM_ONGOING_TIMEOUT_ISO20_MS} ms`;
      const body: Body<iso20Common.AuthorizationResType> = {
        ResponseCode: "FAILED",
        EVSEProcessing: "Finished",
      };
      return { state: s, body, processing: "Finished", end: { reason: "failed-response", detail } };
    }
    const rejected: Iso20Code =
      selected === "PnC" ? "WARNING_GeneralPnCAuthorizationError" : "WARNING_EIMAuthorizationFailure";
    const body: Body<iso20Common.AuthorizationResType> = {
      ResponseCode: failed ? rejected : processing === "Finished" ? okCode : "OK",
      EVSEProcessing: processing,
    };
    const ok = processing === "Finished" && !failed;
    const st = with20(s, {
      authorized: ok,
      authService: ok ? selected : null,
      authOngoingSinceMs: processing === "Ongoing" ? (since ?? ctx.tMs) : null,
    });
    return { state: st, body, processing };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso20Common.responseCodeType, EVSEProcessing: "Finished" }),
};
