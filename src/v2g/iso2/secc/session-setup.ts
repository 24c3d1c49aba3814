/**
 * ISO 15118-2 SessionSetupReq → SessionSetupRes (fields per EcoG-io/iso15118): a new SessionID
 * (OK_NewSessionEstablished), or the paused session's when the EV presents it (OK_OldSessionJoined).
 */
import { onSessionSetup } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

/** SECC handler of SessionSetupReq. */
export const sessionSetup: SeccHandler = {
  name: "SessionSetup",
  res: "SessionSetupRes",
  handle(s, _req: iso2.SessionSetupReqType, ctx, fx) {
    const { state, code } = onSessionSetup(s, ctx.sessionId, fx);
    const body: iso2.SessionSetupResType = {
      ResponseCode: code,
      EVSEID: s.cfg.evseId,
      EVSETimeStamp: epochSeconds(s, ctx.tMs),
    };
    return { state, body };
  },
  failed: (s, code) => ({ ResponseCode: code as iso2.responseCodeType, EVSEID: s.cfg.evseId }),
};
