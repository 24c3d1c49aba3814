/**
 * ISO 15118-20 SessionSetupReq → Res (ISO 15118-20 digest §3.3, §7.1/§7.3): a new random SessionID
 * (OK_NewSessionEstablished); the paused session's ID → OK_OldSessionJoined with its service kept, and the next
 * request is DC_ChargeParameterDiscovery; any other non-zero ID → a new session, not an error ([V2G20-2626]).
 */
import { emptyIso20Session } from "../../session/iso20-session.js";
import { onSessionSetup } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { Body, iso20Common } from "./common.js";

/** SECC handler of SessionSetupReq. */
export const sessionSetup: SeccHandler = {
  name: "SessionSetup",
  res: "SessionSetupRes",
  handle(s, _req: iso20Common.SessionSetupReqType, ctx, fx) {
    const kept = s.paused?.iso20;
    const { state, code } = onSessionSetup(s, ctx.sessionId, fx);
    const iso20 = code === "OK_OldSessionJoined" && kept ? { ...kept, resumed: true } : emptyIso20Session();
    const body: Body<iso20Common.SessionSetupResType> = { ResponseCode: code, EVSEID: s.cfg.evseId };
    return { state: { ...state, iso20 }, body };
  },
  failed: (s, code) => ({ ResponseCode: code as iso20Common.responseCodeType, EVSEID: s.cfg.evseId }),
};
