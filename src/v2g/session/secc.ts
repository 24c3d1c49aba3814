/**
 * The SECC session machine: supportedAppProtocol, then DIN 70121 DC, ISO 15118-2 DC/AC or ISO 15118-20 DC
 * (EIM), as a pure step function `stepSecc(state, event) → [state, effects]`.
 *
 * Rules implemented here (the per-message behaviour lives in `din/secc/*` and `iso2/secc/*`):
 * - Every request is decoded from raw EXI inside the machine. Undecodable input gets no response (neither
 *   DIN nor ISO-2 defines one for a message whose type is unknown): the SECC logs the ExiDecodeError with its
 *   bit offset, ends the session (`decode-error`) and closes the connection.
 * - A request with a SessionID other than the session's → its response with FAILED_UnknownSession, then end.
 * - A request out of sequence ([V2G2-459]/[V2G2-538]/[V2G2-539]) → its response with
 *   FAILED_SequenceError, then end. Any other FAILED_* response also ends the session.
 * - Timers: V2G_SECC_CommunicationSetup from `connected` to SessionSetupRes; V2G_SECC_Sequence_Timeout after
 *   every response; CP-state detection during CableCheck; NotificationMaxDelay after StopCharging /
 *   ReNegotiation / (ISO-20) Pause. Timer events whose deadline does not match the state are ignored (stale).
 */
import { appHandshake, ExiDecodeError, warningsOf } from "../../codecs/index.js";
import { dinSeccModule } from "../din/secc/module.js";
import type { Iso20Family } from "../handshake/namespaces.js";
import { selectAppProtocol } from "../handshake/select.js";
import { iso2SeccModule } from "../iso2/secc/module.js";
import { iso20SeccModule } from "../iso20/secc/module.js";
import { V2gtpPayloadType } from "../v2gtp.js";
import { defectResponse } from "./defects.js";
import { SessionError } from "./errors.js";
import { isAcService } from "./iso20-session.js";
import { renegotiateIfStale, renegotiationDefined } from "./power-schedule.js";
import {
  CPS_BACKEND_TIMER,
  forwardCertRequest,
  onCertBackendTimeout,
  onCertResponse,
  requestWhileForwarding,
} from "./secc-cert-forward.js";
import { cpReady } from "./secc-logic.js";
import type { SeccProtocolModule } from "./secc-protocol.js";
import { reply } from "./secc-reply.js";
import {
  clearTimer,
  emptyEvView,
  endSession,
  isAcMode,
  type SeccConfig,
  type SeccState,
  seccConfig,
  setTimer,
} from "./secc-state.js";
import { allowedNext } from "./sequence.js";
import { idHex, SESSION_ID_ZERO, sameId } from "./session-id.js";
import { SECC_EMERGENCY_WIND_DOWN_MS } from "./timeouts.js";
import { tolerateRequest } from "./tolerance.js";
import type { SeccControl, SeccEffect, SeccEvent } from "./types.js";

const MODULES: Readonly<Record<string, SeccProtocolModule>> = {
  din: dinSeccModule,
  iso2: iso2SeccModule,
  iso20: iso20SeccModule,
};

/** A new SECC machine, waiting for a connection. `partial` completes with {@link seccConfig} defaults. */
export function createSecc(partial: Partial<SeccConfig> = {}, tMs = 0): SeccState {
  const cfg = seccConfig(partial);
  return {
    cfg,
    nowMs: tMs,
    conn: "idle",
    connTls: null,
    connPeerCert: null,
    protocol: null,
    sessionId: null,
    rng: cfg.seed >>> 0 || 1,
    last: null,
    processing: "Finished",
    powerDelivery: null,
    renegotiating: false,
    ev: emptyEvView(),
    readings: cfg.readings,
    cp: null,
    cableCheck: null,
    notification: "None",
    timers: {},
    paused: null,
    iso20: null,
    emergency: false,
    contactors: "open",
    payment: null,
    usedChallenges: [],
    certForward: null,
    certForwards: 0,
  };
}

/** Whether the energy transfer of the session is AC. */
function isAc(s: SeccState): boolean {
  return isAcMode(s.ev.mode);
}

/** Advance the SECC machine by one event. */
export function stepSecc(state: SeccState, ev: SeccEvent): [SeccState, SeccEffect[]] {
  // fresh measurements alone (the charger hands them over before each of its events): one copy of the state
  if (ev.kind === "port" && !("powerSchedule" in ev.readings))
    return [{ ...state, nowMs: ev.tMs, readings: { ...state.readings, ...ev.readings } }, []];
  const fx: SeccEffect[] = [];
  let s: SeccState = { ...state, nowMs: ev.tMs };
  switch (ev.kind) {
    case "connected":
      s = onConnected(s, ev.tMs, fx, ev.tls ?? null, ev.peerCertSha512 ?? null);
      break;
    case "closed":
      if (s.conn === "sap" || s.conn === "session")
        s = endSession(s, "peer-closed", ev.reason, fx, { keepPaused: true });
      break;
    case "timer":
      s = onTimer(s, ev.id, ev.tMs, fx);
      break;
    case "port":
      s = { ...s, readings: { ...s.readings, ...ev.readings } };
      if ("powerSchedule" in ev.readings) s = renegotiateIfStale(s, fx);
      break;
    case "cp":
      s = onCp(s, ev.state, fx);
      break;
    case "control":
      s = onControl(s, ev.control.op, ev.tMs, fx);
      break;
    case "message":
      s = onMessage(s, ev.payloadType, ev.bytes, ev.tMs, fx);
      break;
    case "certificate-response":
      if (s.conn === "session" && s.protocol)
        s = onCertResponse(s, MODULES[s.protocol]!, ev.id, ev.exi, ev.detail, fx);
      break;
  }
  return [s, fx];
}

function onConnected(
  s0: SeccState,
  tMs: number,
  fx: SeccEffect[],
  tls: "1.2" | "1.3" | null,
  peerCert: string | null = null,
): SeccState {
  let s: SeccState = {
    ...s0,
    conn: "sap",
    connTls: tls,
    connPeerCert: peerCert,
    protocol: null,
    sessionId: null,
    last: null,
    processing: "Finished",
    payment: null,
    powerDelivery: null,
    renegotiating: false,
    ev: emptyEvView(),
    cableCheck: null,
    notification: "None",
    timers: {},
    emergency: false,
    iso20: null,
  };
  s = setTimer(s, "communication-setup", tMs + s.cfg.communicationSetupTimeoutMs, fx);
  fx.push({ kind: "log", level: "info", msg: "EVCC connected; waiting for supportedAppProtocolReq" });
  return s;
}

function onTimer(s: SeccState, id: string, tMs: number, fx: SeccEffect[]): SeccState {
  const due = s.timers[id];
  if (due === undefined || tMs < due) return s; // stale or early
  const st = clearTimer(s, id, fx);
  switch (id) {
    case "communication-setup":
      return endSession(
        st,
        "timeout",
        `V2G_SECC_CommunicationSetup (${s.cfg.communicationSetupTimeoutMs} ms)`,
        fx,
      );
    case "sequence":
      return endSession(
        st,
        "timeout",
        `V2G_SECC_Sequence_Timeout (${s.protocol === "iso20" && (s.last === "CurrentDemand" || s.last === "ChargingStatus") ? s.cfg.iso20ChargeLoopSequenceTimeoutMs : s.cfg.sequenceTimeoutMs} ms) after ${s.last}`,
        fx,
        {
          keepPaused: true,
        },
      );
    case "emergency":
      return endSession(
        st,
        "emergency",
        `EV did not end the session within ${SECC_EMERGENCY_WIND_DOWN_MS} ms of EVSE_EmergencyShutdown`,
        fx,
      );
    case "cp-detect":
      if (cpReady(st)) return st;
      return endSession(
        st,
        "cp-state",
        `CP not in C/D ${s.cfg.cpStateDetectionTimeoutMs} ms into CableCheck`,
        fx,
      );
    case CPS_BACKEND_TIMER:
      return s.protocol ? onCertBackendTimeout(st, MODULES[s.protocol]!, fx) : st;
    case "notification":
      return endSession(
        st,
        "notification-timeout",
        `EV did not act on ${s.notification} within NotificationMaxDelay`,
        fx,
      );
    default:
      return st;
  }
}

function onCp(s0: SeccState, cp: SeccState["cp"], fx: SeccEffect[]): SeccState {
  let s: SeccState = { ...s0, cp };
  if (s.conn !== "session") return s;
  // After an emergency shutdown the EVSE itself shows F on the pilot; the session winds down regardless.
  if (cp === "A" || cp === "E" || (cp === "F" && !s.emergency))
    return endSession(s, "cp-state", `CP state ${cp} during the session`, fx);
  if (isAc(s) && s.powerDelivery === "start" && !s.emergency) {
    if (cpReady(s) && s.contactors === "open") {
      fx.push({ kind: "port-command", command: { port: "contactors", op: "close" } });
      s = { ...s, contactors: "closed" };
    } else if (cp === "B" && s.contactors === "closed") {
      fx.push({ kind: "port-command", command: { port: "contactors", op: "open" } });
      s = { ...s, contactors: "open" };
    }
  }
  return s;
}

function onControl(s: SeccState, op: SeccControl["op"], tMs: number, fx: SeccEffect[]) {
  if (op === "emergency-stop") {
    const st = { ...s, emergency: true };
    if (s.conn === "sap") return endSession(st, "emergency", "emergency stop requested", fx);
    if (s.conn !== "session" || s.emergency) return st;
    // Output off and contactors open now; the session stays so the EV hears EVSE_EmergencyShutdown in its
    // next response and winds down itself, within SECC_EMERGENCY_WIND_DOWN_MS.
    fx.push({ kind: "port-command", command: { port: "power-stage", op: "off" } });
    fx.push({ kind: "port-command", command: { port: "contactors", op: "open" } });
    fx.push({ kind: "log", level: "warn", msg: "emergency shutdown: EVSE_EmergencyShutdown to the EV" });
    return setTimer({ ...st, contactors: "open" }, "emergency", tMs + SECC_EMERGENCY_WIND_DOWN_MS, fx);
  }
  if (s.conn !== "session") return s;
  if (op === "renegotiate" && !renegotiationDefined(s)) {
    const what = s.protocol === "din" ? "DIN 70121" : "ISO 15118-20 outside Scheduled mode (or switched off)";
    fx.push({ kind: "log", level: "warn", msg: `ReNegotiation is not defined for ${what}; ignored` });
    return s;
  }
  if (op === "pause") {
    if (s.protocol === "iso20") {
      // ISO 15118-20 EVSENotification Pause ([V2G20-3308]); the EV ends with SessionStop(Pause), the session
      // is kept
      const st: SeccState = { ...s, notification: "Pause" };
      return setTimer(st, "notification", tMs + s.cfg.pauseNotificationMaxDelayS * 1000, fx);
    }
    fx.push({
      kind: "log",
      level: "info",
      msg: `${s.protocol === "din" ? "DIN 70121" : "ISO 15118-2"} has no EVSE-initiated pause: StopCharging`,
    });
  }
  const st: SeccState = { ...s, notification: op === "renegotiate" ? "ReNegotiation" : "StopCharging" };
  return setTimer(st, "notification", tMs + s.cfg.notificationMaxDelayS * 1000, fx);
}

function onMessage(
  s: SeccState,
  payloadType: number,
  bytes: Uint8Array,
  tMs: number,
  fx: SeccEffect[],
): SeccState {
  if (s.conn !== "sap" && s.conn !== "session") {
    fx.push({ kind: "log", level: "warn", msg: `message while ${s.conn}: ignored` });
    return s;
  }
  const accepted = s.conn === "session" ? MODULES[s.protocol ?? ""]?.payloadTypes : undefined;
  // TEST-ONLY defect accept-wrong-payload-type: the payload type is not checked
  if (accepted && !accepted.includes(payloadType) && s.cfg.defect !== "accept-wrong-payload-type") {
    const list = accepted.map((t) => `0x${t.toString(16)}`).join("/");
    return endSession(
      s,
      "unexpected-message",
      `V2GTP payload type 0x${payloadType.toString(16)} is not one of ${s.protocol}'s (${list})`,
      fx,
    );
  }
  if (!accepted && payloadType !== V2gtpPayloadType.exi && s.cfg.defect !== "accept-wrong-payload-type") {
    return endSession(
      s,
      "unexpected-message",
      `V2GTP payload type 0x${payloadType.toString(16)} is not EXI (0x8001)`,
      fx,
    );
  }
  if (s.certForward) return requestWhileForwarding(s, fx);
  return s.conn === "sap" ? onSap(s, bytes, fx) : onRequest(s, bytes, payloadType, tMs, fx);
}

function decodeFailure(s: SeccState, err: unknown, fx: SeccEffect[]): SeccState {
  if (err instanceof ExiDecodeError) {
    fx.push({
      kind: "log",
      level: "error",
      msg: `EXI decode error: ${err.message}`,
      data: { code: err.code, bitOffset: err.bitOffset, state: err.state, expected: err.expected },
    });
    return endSession(s, "decode-error", `${err.code} at bit ${err.bitOffset}`, fx);
  }
  if (err instanceof SessionError) return endSession(s, "unexpected-message", err.message, fx);
  throw err;
}

function onSap(s: SeccState, bytes: Uint8Array, fx: SeccEffect[]): SeccState {
  let doc: appHandshake.Document;
  try {
    doc = appHandshake.decodeDocument(bytes);
  } catch (err) {
    return decodeFailure(s, err, fx);
  }
  if (!("supportedAppProtocolReq" in doc)) {
    return endSession(
      s,
      "unexpected-message",
      `expected supportedAppProtocolReq, got ${Object.keys(doc)[0]}`,
      fx,
    );
  }
  const req = doc.supportedAppProtocolReq;
  if (s.cfg.trace)
    fx.push({ kind: "trace", dir: "rx", protocol: "sap", name: "supportedAppProtocolReq", message: req });
  // Filter by what this station and this connection support: -20 only with an energy mode it has a service for
  // (AC or DC), and only on TLS 1.3 ([V2G20-2356]) unless the lab switch `iso20WithoutTls` allows it anywhere.
  // -20:AC with an AC mode, -20:DC with a DC mode ([V2G20-169]: filter by the station's hardware)
  const families: Iso20Family[] = [
    ...(s.cfg.energyModes.some((m) => isAcMode(m)) ? (["AC"] as const) : []),
    ...(s.cfg.energyModes.some((m) => m.startsWith("DC")) ? (["DC"] as const) : []),
  ];
  const iso20 = families.length > 0 && (s.connTls === "1.3" || s.cfg.iso20WithoutTls);
  const sel = selectAppProtocol(
    req,
    iso20 ? s.cfg.protocols : s.cfg.protocols.filter((p) => p !== "iso20"),
    families,
  );
  const out = appHandshake.encodeDocument({ supportedAppProtocolRes: sel.res });
  if (s.cfg.trace)
    fx.push({ kind: "trace", dir: "tx", protocol: "sap", name: "supportedAppProtocolRes", message: sel.res });
  fx.push({ kind: "send", payloadType: V2gtpPayloadType.exi, bytes: out, name: "supportedAppProtocolRes" });
  if (!sel.protocol || sel.schemaId === undefined) {
    const offered = req.AppProtocol.map((a) => a.ProtocolNamespace).join(", ");
    return endSession(s, "no-negotiation", `Failed_NoNegotiation (EV offered ${offered})`, fx);
  }
  fx.push({ kind: "negotiated", protocol: sel.protocol, schemaId: sel.schemaId });
  return { ...s, conn: "session", protocol: sel.protocol };
}

function onRequest(
  s0: SeccState,
  bytes: Uint8Array,
  payloadType: number,
  tMs: number,
  fx: SeccEffect[],
): SeccState {
  const mod = MODULES[s0.protocol ?? ""];
  if (!mod) throw new SessionError("CONFIG", `protocol ${s0.protocol}: no SECC module`);
  let req: ReturnType<SeccProtocolModule["decode"]>;
  try {
    req = mod.decode(bytes, payloadType);
  } catch (err) {
    return decodeFailure(s0, err, fx);
  }
  const h = mod.handlers[req.element];
  if (!h) return endSession(s0, "unexpected-message", `${req.element} is not a request`, fx);
  if (s0.cfg.trace)
    fx.push({ kind: "trace", dir: "rx", protocol: mod.protocol, name: req.element, message: req.message });
  let s = clearTimer(s0, "sequence", fx);
  const replyId = s.sessionId ?? req.sessionId;
  if (
    h.name !== "SessionSetup" &&
    s.sessionId &&
    !sameId(req.sessionId, s.sessionId) &&
    s.cfg.defect !== "accept-unknown-session" && // TEST-ONLY defect
    !(s.cfg.defect === "iso20-accept-unknown-session" && mod.protocol === "iso20") // TEST-ONLY defect
  ) {
    const detail = `${req.element} with SessionID ${idHex(req.sessionId)}, session is ${idHex(s.sessionId)}`;
    return reply(s, mod, replyId, h.res, h.failed(s, "FAILED_UnknownSession", tMs), fx, {
      reason: "unknown-session",
      detail,
    });
  }
  const allowed = allowedNext({
    protocol: mod.protocol,
    last: s.last,
    processing: s.processing,
    powerDelivery: s.powerDelivery,
    ac: isAc(s) || isAcService(s.iso20?.serviceId),
    renegotiating: s.renegotiating,
    resumed: s.iso20?.resumed ?? false,
  });
  // TEST-ONLY defect ok-on-sequence-error: no sequence check
  if (!allowed.includes(h.name) && s.cfg.defect !== "ok-on-sequence-error") {
    const detail = `${req.element} after ${s.last ?? "supportedAppProtocol"} (expected ${allowed.join("/") || "nothing"})`;
    return reply(s, mod, replyId, h.res, h.failed(s, "FAILED_SequenceError", tMs), fx, {
      reason: "sequence-error",
      detail,
    });
  }
  // values outside a schema facet (tolerant decode): answer, clamp or refuse per field (tolerance.ts)
  const warnings = warningsOf(req.message);
  let body = req.body;
  if (warnings.length > 0) {
    const v = tolerateRequest(mod.protocol, req.element, req.body, warnings);
    fx.push(...v.logs);
    if (v.kind === "refuse")
      return reply(s, mod, replyId, h.res, h.failed(s, v.code, tMs), fx, {
        reason: "failed-response",
        detail: `${h.res} ${v.code}: ${v.detail}`,
      });
    body = v.body;
  }
  const out = h.handle(s, body as never, { tMs, sessionId: req.sessionId, message: req.message }, fx);
  s = { ...out.state, last: h.name, processing: out.processing ?? out.state.processing };
  if (out.forward && !out.end) return forwardCertRequest(s, h, out.forward, bytes, tMs, fx);
  // TEST-ONLY defect: the response as an injected defect distorts it (absent: unchanged)
  const res = defectResponse(s.cfg.defect, mod.protocol, h.res, out.body);
  const code = res.body.ResponseCode;
  const end =
    out.end ??
    (code.startsWith("FAILED")
      ? { reason: "failed-response" as const, detail: `${h.res} ${code}` }
      : undefined);
  return reply(s, mod, s.sessionId ?? SESSION_ID_ZERO, res.element, res.body, fx, end, out.signature);
}
