/**
 * ISO 15118-2 Plug & Charge with the CPS behind the charger's backend (OCPP 2.0.1 Get15118EVCertificate,
 * use cases M01 / M02): a CertificateInstallationReq / CertificateUpdateReq that passed the SECC's own checks
 * is held — the state's `certForward` carries its raw EXI for the host to forward — and the backend's EXI
 * response is relayed to the EV as is, after the SECC checked it is the expected response of this session.
 * No answer within `cfg.cpsBackendTimeoutMs` (the SECC performance time, so that the EV's 5 s
 * V2G_EVCC_Msg_Timeout of ISO 15118-2 Table 109 has not run out), no certificate, or an answer that is not
 * the expected response: FAILED_NoCertificateAvailable from the SECC, and the session ends.
 */
import { NS_ISO_15118_2 } from "../handshake/namespaces.js";
import { V2gtpPayloadType } from "../v2gtp.js";
import type { SeccHandler, SeccProtocolModule } from "./secc-protocol.js";
import { armSequenceTimer, reply } from "./secc-reply.js";
import { clearTimer, endSession, type SeccState, setTimer } from "./secc-state.js";
import { idHex, SESSION_ID_ZERO, sameId } from "./session-id.js";
import type { SeccEffect } from "./types.js";

/** Timer id of the backend's answer. */
export const CPS_BACKEND_TIMER = "cps-backend";

/** Hold the request `exi` (handled by `h`) for the backend. */
export function forwardCertRequest(
  s0: SeccState,
  h: SeccHandler,
  action: "Install" | "Update",
  exi: Uint8Array,
  tMs: number,
  fx: SeccEffect[],
): SeccState {
  const id = s0.certForwards + 1;
  const dueMs = tMs + s0.cfg.cpsBackendTimeoutMs;
  const element = `${h.name}Req`;
  const s: SeccState = {
    ...s0,
    certForwards: id,
    certForward: { id, action, element, res: h.res, schema: NS_ISO_15118_2, exi: exi.slice(), dueMs },
  };
  fx.push({
    kind: "log",
    level: "info",
    msg: `${element} (${exi.length} B EXI) handed to the backend (${action}); answer due within ${s0.cfg.cpsBackendTimeoutMs} ms`,
  });
  return setTimer(s, CPS_BACKEND_TIMER, dueMs, fx);
}

/** The session's stop reason when the EV's certificate request of `action` is refused. */
export function refusalOf(
  action: "Install" | "Update",
): "certificate-update-refused" | "certificate-installation-refused" {
  return action === "Update" ? "certificate-update-refused" : "certificate-installation-refused";
}

/** FAILED_NoCertificateAvailable from the SECC itself; the session ends with the reason. */
function refuse(s: SeccState, mod: SeccProtocolModule, detail: string, fx: SeccEffect[]): SeccState {
  const f = s.certForward!;
  const st: SeccState = { ...clearTimer(s, CPS_BACKEND_TIMER, fx), certForward: null };
  const h = mod.handlers[f.element]!;
  const reason = refusalOf(f.action);
  return reply(
    st,
    mod,
    st.sessionId ?? SESSION_ID_ZERO,
    f.res,
    h.failed(st, "FAILED_NoCertificateAvailable", st.nowMs),
    fx,
    { reason, detail: `${f.res} FAILED_NoCertificateAvailable: ${detail}` },
  );
}

/** The backend gave no answer in time. */
export function onCertBackendTimeout(s: SeccState, mod: SeccProtocolModule, fx: SeccEffect[]): SeccState {
  if (!s.certForward) return s;
  return refuse(s, mod, `the backend did not answer within ${s.cfg.cpsBackendTimeoutMs} ms`, fx);
}

/**
 * The backend's answer to forwarded request `id`: the EXI of its response V2G_Message (relayed as is), or
 * null with the reason it has none.
 */
export function onCertResponse(
  s: SeccState,
  mod: SeccProtocolModule,
  id: number,
  exi: Uint8Array | null,
  detail: string | undefined,
  fx: SeccEffect[],
): SeccState {
  const f = s.certForward;
  if (!f || f.id !== id) {
    fx.push({
      kind: "log",
      level: "warn",
      msg: `backend certificate response #${id}: no such request waiting (late or of an ended session); ignored`,
    });
    return s;
  }
  if (!exi) return refuse(s, mod, `the backend has no certificate (${detail ?? "no reason given"})`, fx);
  let dec: ReturnType<SeccProtocolModule["decode"]>;
  try {
    dec = mod.decode(exi, V2gtpPayloadType.exi);
  } catch (err) {
    return refuse(s, mod, `the backend's EXI does not decode: ${(err as Error).message}`, fx);
  }
  if (dec.element !== f.res) return refuse(s, mod, `the backend answered ${dec.element}, not ${f.res}`, fx);
  if (s.sessionId && !sameId(dec.sessionId, s.sessionId))
    return refuse(
      s,
      mod,
      `the backend's ${f.res} has Header.SessionID ${idHex(dec.sessionId)}, the session is ${idHex(s.sessionId)}`,
      fx,
    );
  let st: SeccState = { ...clearTimer(s, CPS_BACKEND_TIMER, fx), certForward: null };
  if (st.cfg.trace)
    fx.push({ kind: "trace", dir: "tx", protocol: mod.protocol, name: f.res, message: dec.message });
  // relayed as is: the CPS signed it, and the EV checks that signature over these bytes' elements
  fx.push({ kind: "send", payloadType: V2gtpPayloadType.exi, bytes: exi, name: f.res });
  const code = String((dec.body as { ResponseCode?: unknown }).ResponseCode ?? "");
  if (code.startsWith("FAILED")) {
    return endSession(st, refusalOf(f.action), `${f.res} ${code} (from the backend)`, fx);
  }
  fx.push({ kind: "log", level: "info", msg: `${f.res} ${code} from the backend relayed (${exi.length} B)` });
  st = armSequenceTimer(st, mod, f.res, fx);
  return st;
}

/** A request while one waits for the backend: ISO 15118-2 has one request outstanding at a time. */
export function requestWhileForwarding(s: SeccState, fx: SeccEffect[]): SeccState {
  return endSession(
    s,
    "unexpected-message",
    `a request came while ${s.certForward!.element} waits for the backend (one request at a time)`,
    fx,
  );
}
