/**
 * DIN 70121 SessionSetupReq → SessionSetupRes (fields per EcoG-io/iso15118): new SessionID, EVSEID,
 * DateTimeNow.
 */
import { onSessionSetup } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import { type din, dinEvseId } from "./common.js";

/** SECC handler of SessionSetupReq (DIN has no session resume: always OK_NewSessionEstablished). */
export const sessionSetup: SeccHandler = {
  name: "SessionSetup",
  res: "SessionSetupRes",
  handle(s, _req: din.SessionSetupReqType, ctx, fx) {
    const { state } = onSessionSetup({ ...s, paused: null }, ctx.sessionId, fx);
    const body: din.SessionSetupResType = {
      ResponseCode: "OK_NewSessionEstablished",
      EVSEID: dinEvseId(s),
      DateTimeNow: epochSeconds(s, ctx.tMs),
    };
    return { state, body };
  },
  failed: (s, code) => ({ ResponseCode: code as din.responseCodeType, EVSEID: dinEvseId(s) }),
};
