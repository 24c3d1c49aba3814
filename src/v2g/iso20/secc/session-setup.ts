/**
 * ISO 15118-20 SessionSetupReq → Res: a new random SessionID ([V2G20-2106])
 * (OK_NewSessionEstablished); the paused session's ID → OK_OldSessionJoined with its service kept, and the next
 * request is DC_ChargeParameterDiscovery; any other non-zero ID → a new session, not an error ([V2G20-2626]).
 * The SECC verifies that a resuming EVCC is the one that paused ([V2G20-2545]): by its EVCCID and, when the
 * session was set up over mutual TLS, by its vehicle certificate (the standard's example method hashes the
 * SessionID with the certificate's SHA-512; we keep the certificate's SHA-512 with the paused session and
 * compare). Another EVCC presenting the paused ID gets a new session (OK_NewSessionEstablished).
 */
import { emptyIso20Session, type Iso20Session } from "../../session/iso20-session.js";
import { onSessionSetup } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { sameId } from "../../session/session-id.js";
import type { Body, iso20Common } from "./common.js";

/** SECC handler of SessionSetupReq. */
export const sessionSetup: SeccHandler = {
  name: "SessionSetup",
  res: "SessionSetupRes",
  handle(s, req: iso20Common.SessionSetupReqType, ctx, fx) {
    const kept = s.paused?.iso20;
    const evccId = evccIdHex(req.EVCCID);
    const why =
      kept && sameId(ctx.sessionId, s.paused?.sessionId)
        ? strangerReason(kept, evccId, s.connPeerCert)
        : null;
    const stranger = why !== null;
    if (why)
      fx.push({
        kind: "log",
        level: "warn",
        msg: `SessionSetupReq presents the paused SessionID, but ${why}: new session`,
      });
    const { state, code } = stranger
      ? {
          state: onSessionSetup({ ...s, paused: null }, ctx.sessionId, fx).state,
          code: "OK_NewSessionEstablished" as const,
        }
      : onSessionSetup(s, ctx.sessionId, fx);
    const iso20 =
      code === "OK_OldSessionJoined" && kept
        ? { ...kept, resumed: true }
        : { ...emptyIso20Session(), evccId, vehicleCert: s.connPeerCert };
    const body: Body<iso20Common.SessionSetupResType> = { ResponseCode: code, EVSEID: s.cfg.evseId };
    return { state: { ...state, iso20 }, body };
  },
  failed: (s, code) => ({ ResponseCode: code as iso20Common.responseCodeType, EVSEID: s.cfg.evseId }),
};

/** Why the EVCC presenting a paused SessionID is not the one that paused, or null ([V2G20-2545]). */
function strangerReason(kept: Iso20Session, evccId: string, cert: string | null): string | null {
  if (kept.evccId !== evccId)
    return `it comes from EVCCID ${evccId}, the session was paused by ${kept.evccId}`;
  if (kept.vehicleCert !== null && kept.vehicleCert !== cert)
    return cert === null
      ? "the session was set up with a vehicle certificate and this connection has none"
      : "this connection's vehicle certificate is not the one the session was set up with";
  return null;
}

/** The EVCCID as upper-case hex (a string EVCCID as is). */
function evccIdHex(id: unknown): string {
  if (id instanceof Uint8Array)
    return Array.from(id, (b) => b.toString(16).padStart(2, "0"))
      .join("")
      .toUpperCase();
  return typeof id === "string" ? id : "";
}
