/**
 * The EVCC session machine: supportedAppProtocol, then DIN 70121 DC, ISO 15118-2 DC/AC or ISO 15118-20 DC
 * (EIM), as a pure step function `stepEvcc(state, event) → [state, effects]`.
 *
 * - Each request arms V2G_EVCC_Msg_Timeout (DIN 70121 §9.6, ISO 15118-2 §8.8.2; `response` timer,
 *   {@link evccMsgTimeoutMs}); phase timers: CommunicationSetup (connected → SessionSetupRes), Ongoing
 *   (Authorization and ChargeParameterDiscovery loops), CableCheck, PreCharge, ReadyToCharge (DIN). Any
 *   timeout ends the session: the EV opens its contactors and S2 and closes the connection.
 * - A response that is not the one awaited, that does not decode, or carries a FAILED_* code ends the session;
 *   so does a WARNING_* code, except the ISO-20 ones of {@link ISO20_EVCC_CONTINUE_ON}.
 * - Loops (Ongoing, PreCharge, CurrentDemand/ChargingStatus, WeldingDetection) are paced by the `next` timer
 *   ({@link EvccPacing}); everything else is sent at once.
 */

import { appHandshake, ExiDecodeError, ExiEncodeError } from "../../codecs/index.js";
import { dinEvccModule } from "../din/evcc/module.js";
import { acceptedFromOffer, acceptedProtocol, buildAppProtocolReq } from "../handshake/select.js";
import { iso2EvccModule } from "../iso2/evcc/module.js";
import { iso20EvccModule } from "../iso20/evcc/module.js";
import { createInstalledContracts } from "../pnc/installed-contract.js";
import { PncError } from "../pnc/pnc-errors.js";
import { XmlDsigError } from "../pnc/xmldsig-errors.js";
import { V2gtpPayloadType } from "../v2gtp.js";
import { SessionError } from "./errors.js";
import { afterResponse, deEnergize, openS2 } from "./evcc-flow.js";
import { afterResponseIso20, ISO20_EVCC_CONTINUE_ON } from "./evcc-flow-iso20.js";
import { type EvccProtocolModule, messageOf } from "./evcc-protocol.js";
import {
  clearEvccTimer,
  type EvccConfig,
  type EvccState,
  emptyEvseView,
  evccConfig,
  evccIsAc,
  setEvccTimer,
} from "./evcc-state.js";
import { evccMsgTimeoutMs } from "./evcc-timeouts.js";
import { idHex, SESSION_ID_ZERO, sameId } from "./session-id.js";
import type { EvccEffect, EvccEvent, MsgName, StopReason } from "./types.js";

const MODULES: Readonly<Record<string, EvccProtocolModule>> = {
  din: dinEvccModule,
  iso2: iso2EvccModule,
  iso20: iso20EvccModule,
};

/** A new EVCC machine, waiting for its connection. `partial` completes with {@link evccConfig} defaults. */
export function createEvcc(partial: Partial<EvccConfig> = {}, tMs = 0): EvccState {
  const cfg = evccConfig(partial);
  return {
    cfg,
    nowMs: tMs,
    conn: "idle",
    protocol: null,
    mode: cfg.mode,
    sessionId: null,
    pending: null,
    next: null,
    progress: "start",
    charging: false,
    renegotiating: false,
    readings: cfg.readings,
    evse: emptyEvseView(),
    stopRequested: null,
    s2: "open",
    contactors: "open",
    weldingRequests: 0,
    timers: {},
    paused: null,
    payment: null,
    genChallenge: null,
    resumed: false,
    refusal: null,
    iso20: null,
    contracts: cfg.pnc?.contracts ?? createInstalledContracts(),
    pnc: null,
  };
}

/** Advance the EVCC machine by one event. */
export function stepEvcc(state: EvccState, ev: EvccEvent): [EvccState, EvccEffect[]] {
  // fresh readings alone (the EV hands them over before each of its events): one copy of the state
  if (ev.kind === "port")
    return [{ ...state, nowMs: ev.tMs, readings: { ...state.readings, ...ev.readings } }, []];
  const fx: EvccEffect[] = [];
  let s: EvccState = { ...state, nowMs: ev.tMs };
  switch (ev.kind) {
    case "connected":
      s = onConnected(s, ev.tMs, fx);
      break;
    case "closed":
      if (s.conn === "sap" || s.conn === "session") s = endEvcc(s, "peer-closed", ev.reason, fx);
      break;
    case "timer":
      s = onTimer(s, ev.id, ev.tMs, fx);
      break;
    case "control":
      if (ev.control.op === "departure") {
        const { departureAtMs: _old, ...cfg } = s.cfg;
        s = { ...s, cfg: ev.control.atMs === null ? cfg : { ...cfg, departureAtMs: ev.control.atMs } };
      } else if (ev.control.op === "bidirectional") {
        s = { ...s, cfg: { ...s.cfg, bidirectional: ev.control.on } };
      } else if (s.conn === "session" || s.conn === "sap") {
        const pause = ev.control.op === "pause" && s.protocol !== "din";
        s = { ...s, stopRequested: pause ? "pause" : "stop" };
      }
      break;
    case "message":
      s = onMessage(s, ev.payloadType, ev.bytes, ev.tMs, fx);
      break;
  }
  return [s, fx];
}

function onConnected(s0: EvccState, tMs: number, fx: EvccEffect[]): EvccState {
  let s: EvccState = {
    ...s0,
    conn: "sap",
    protocol: null,
    mode: s0.cfg.mode,
    sessionId: null,
    pending: "SAP",
    next: null,
    progress: "start",
    charging: false,
    renegotiating: false,
    evse: emptyEvseView(),
    stopRequested: null,
    weldingRequests: 0,
    timers: {},
    resumed: false,
    refusal: null,
    pnc: null,
  };
  s = setEvccTimer(s, "communication-setup", tMs + s.cfg.communicationSetupTimeoutMs, fx);
  const req = s.cfg.appProtocols
    ? { AppProtocol: s.cfg.appProtocols }
    : buildAppProtocolReq(s.cfg.protocols, evccIsAc(s) ? "AC" : "DC");
  if (s.cfg.trace)
    fx.push({ kind: "trace", dir: "tx", protocol: "sap", name: "supportedAppProtocolReq", message: req });
  fx.push({
    kind: "send",
    payloadType: V2gtpPayloadType.exi,
    bytes: appHandshake.encodeDocument({ supportedAppProtocolReq: req }),
    name: "supportedAppProtocolReq",
  });
  return setEvccTimer(s, "response", tMs + responseTimeoutMs(s, null, "SAP"), fx);
}

const PHASE_TIMERS: Readonly<Record<string, string>> = {
  "communication-setup": "V2G_EVCC_CommunicationSetup_Timeout",
  ongoing: "V2G_EVCC_Ongoing_Timeout",
  "cable-check": "V2G_EVCC_CableCheck_Timeout",
  "pre-charge": "V2G_EVCC_PreCharge_Timeout",
  "ready-to-charge": "V2G_EVCC_ReadyToCharge_Timeout",
};

function onTimer(s0: EvccState, id: string, tMs: number, fx: EvccEffect[]): EvccState {
  const due = s0.timers[id];
  if (due === undefined || tMs < due) return s0; // stale or early
  const s = clearEvccTimer(s0, id, fx);
  if (id === "next") {
    if (!s.next || s.conn !== "session") return s;
    return sendRequest({ ...s, next: null }, s.next, tMs, fx);
  }
  if (id === "response") {
    const ms = responseTimeoutMs(s, s.protocol, s.pending ?? "SAP");
    return endEvcc(s, "timeout", `V2G_EVCC_Msg_Timeout: no ${s.pending}Res within ${ms} ms`, fx);
  }
  const name = PHASE_TIMERS[id];
  return name ? endEvcc(s, "timeout", `${name} expired`, fx) : s;
}

function sendRequest(s0: EvccState, name: MsgName, tMs: number, fx: EvccEffect[]): EvccState {
  const mod = MODULES[s0.protocol ?? ""];
  const msg = mod && messageOf(mod, s0, name);
  if (!mod || !msg) return endEvcc(s0, "internal-error", `no ${name} for protocol ${s0.protocol}`, fx);
  const id =
    name === "SessionSetup"
      ? s0.paused?.protocol === s0.protocol
        ? s0.paused.sessionId
        : SESSION_ID_ZERO
      : (s0.sessionId ?? SESSION_ID_ZERO);
  let enc: ReturnType<EvccProtocolModule["encode"]>;
  let signed = false;
  try {
    const body = msg.build(s0);
    const sig = msg.signature?.(s0, body as never);
    signed = sig !== undefined;
    enc = mod.encode(id, msg.req, body, BigInt(Math.floor(s0.cfg.epochS + tMs / 1000)), sig);
  } catch (err) {
    if (err instanceof XmlDsigError || err instanceof PncError)
      return endEvcc(s0, "internal-error", `${msg.req}: signing: ${err.message}`, fx);
    if (!(err instanceof ExiEncodeError)) throw err;
    return endEvcc(s0, "internal-error", `${msg.req}: ${err.message}`, fx);
  }
  if (s0.cfg.trace)
    fx.push({ kind: "trace", dir: "tx", protocol: mod.protocol, name: msg.req, message: enc.message });
  const pad = s0.cfg.trailingZeroBytes[name] ?? 0;
  const bytes = pad > 0 ? Uint8Array.from([...enc.bytes, ...new Uint8Array(pad)]) : enc.bytes;
  fx.push({ kind: "send", payloadType: enc.payloadType ?? V2gtpPayloadType.exi, bytes, name: msg.req });
  // the GenChallenge is used once: only the first AuthorizationReq is signed ([V2G2-684])
  const s = { ...s0, pending: name, ...(signed && name === "Authorization" && { genChallenge: null }) };
  // TEST-ONLY defect no-message-timeout (evcc-defects.ts): V2G_EVCC_Msg_Timeout never armed
  if (s.cfg.defect === "no-message-timeout") return s;
  return setEvccTimer(s, "response", tMs + responseTimeoutMs(s, s.protocol, name), fx);
}

/**
 * V2G_EVCC_Msg_Timeout of the request `name` (DIN 70121 §9.6, ISO 15118-2 §8.8.2), or the configured override
 * of a tester.
 */
function responseTimeoutMs(s: EvccState, protocol: EvccState["protocol"], name: MsgName | "SAP"): number {
  return s.cfg.responseTimeoutMs ?? evccMsgTimeoutMs(protocol, name, s.cfg.dinEdition);
}

function onMessage(
  s0: EvccState,
  payloadType: number,
  bytes: Uint8Array,
  tMs: number,
  fx: EvccEffect[],
): EvccState {
  if (s0.conn !== "sap" && s0.conn !== "session") return s0;
  const accepted = s0.conn === "session" ? MODULES[s0.protocol ?? ""]?.payloadTypes : undefined;
  if (accepted ? !accepted.includes(payloadType) : payloadType !== V2gtpPayloadType.exi)
    return endEvcc(s0, "unexpected-message", `payload type 0x${payloadType.toString(16)}`, fx);
  if (!s0.pending)
    return endEvcc(s0, "unexpected-message", "a message arrived while no request was pending", fx);
  const s = clearEvccTimer(s0, "response", fx);
  try {
    return s.conn === "sap" ? onSapRes(s, bytes, tMs, fx) : onResponse(s, bytes, payloadType, tMs, fx);
  } catch (err) {
    if (err instanceof ExiDecodeError) {
      fx.push({
        kind: "log",
        level: "error",
        msg: `EXI decode error: ${err.message}`,
        data: { code: err.code, bitOffset: err.bitOffset },
      });
      return endEvcc(s, "decode-error", `${err.code} at bit ${err.bitOffset}`, fx);
    }
    if (err instanceof SessionError) return endEvcc(s, "unexpected-message", err.message, fx);
    throw err;
  }
}

function onSapRes(s: EvccState, bytes: Uint8Array, tMs: number, fx: EvccEffect[]): EvccState {
  const doc = appHandshake.decodeDocument(bytes);
  if (!("supportedAppProtocolRes" in doc))
    return endEvcc(s, "unexpected-message", `got ${Object.keys(doc)[0]}`, fx);
  const res = doc.supportedAppProtocolRes;
  if (s.cfg.trace)
    fx.push({ kind: "trace", dir: "rx", protocol: "sap", name: "supportedAppProtocolRes", message: res });
  const protocol = s.cfg.appProtocols
    ? acceptedFromOffer(s.cfg.appProtocols, s.cfg.protocols, res)
    : acceptedProtocol(s.cfg.protocols, res);
  if (!protocol)
    return endEvcc(s, "no-negotiation", `${res.ResponseCode} (SchemaID ${res.SchemaID ?? "-"})`, fx);
  fx.push({ kind: "negotiated", protocol, schemaId: res.SchemaID ?? 0 });
  return sendRequest({ ...s, conn: "session", protocol }, "SessionSetup", tMs, fx);
}

function onResponse(
  s0: EvccState,
  bytes: Uint8Array,
  payloadType: number,
  tMs: number,
  fx: EvccEffect[],
): EvccState {
  const mod = MODULES[s0.protocol ?? ""];
  const name = s0.pending as MsgName;
  const msg = mod && messageOf(mod, s0, name);
  if (!mod || !msg) return endEvcc(s0, "internal-error", `no ${name} for ${s0.protocol}`, fx);
  const dec = mod.decode(bytes, payloadType);
  if (s0.cfg.trace)
    fx.push({ kind: "trace", dir: "rx", protocol: mod.protocol, name: dec.element, message: dec.message });
  if (dec.element !== msg.res)
    return endEvcc(s0, "unexpected-message", `expected ${msg.res}, got ${dec.element}`, fx);
  const view = msg.read(dec.body as never);
  let s: EvccState = { ...s0, pending: null, evse: { ...s0.evse, ...view.evse } };
  if (name === "SessionSetup") s = { ...s, sessionId: dec.sessionId };
  // the header SessionID of every response after SessionSetupRes is the session's (DIN 70121 / ISO 15118-2
  // MessageHeader): a response of another session is not acted on (TEST-ONLY defect accept-wrong-session-id)
  else if (!sameId(dec.sessionId, s.sessionId) && s.cfg.defect !== "accept-wrong-session-id")
    return endEvcc(
      s,
      "unexpected-message",
      `${dec.element} carries SessionID ${idHex(dec.sessionId)}, not the session's ${idHex(s.sessionId)}`,
      fx,
    );
  // TEST-ONLY defect ignore-failed-response (evcc-defects.ts): a FAILED* code taken as OK
  if (!view.code.startsWith("OK") && s.cfg.defect !== "ignore-failed-response") {
    if (!(s.protocol === "iso20" && ISO20_EVCC_CONTINUE_ON.includes(view.code)))
      return endEvcc(s, "failed-response", `${dec.element} ${view.code}`, fx);
    // ISO-20 WARNING* is not fatal, the EV decides (cf. [V2G20-2230]): on these it carries on as after OK
    fx.push({ kind: "log", level: "warn", msg: `${dec.element} ${view.code}: continuing` });
  }
  if (msg.accept) {
    try {
      s = msg.accept(s, dec.message, tMs);
    } catch (err) {
      if (!(err instanceof PncError)) throw err;
      return endEvcc(s, "certificate-rejected", `${dec.element} discarded: ${err.message}`, fx);
    }
    if (s.salesTariff && s.salesTariff !== s0.salesTariff) {
      const t = s.salesTariff;
      fx.push({
        kind: "log",
        level: t.kind === "ignored" ? "warn" : "info",
        msg: `SalesTariff ${t.kind}: ${t.detail}`,
      });
    }
  }
  const d =
    s.protocol === "iso20"
      ? afterResponseIso20(s, name, view, tMs, fx)
      : afterResponse(s, name, view, tMs, fx);
  if (d.end) return endEvcc(d.state, d.end.reason, d.end.detail, fx);
  if (!d.next) return d.state;
  if (d.next.delayMs <= 0) return sendRequest(d.state, d.next.name, tMs, fx);
  return setEvccTimer({ ...d.state, next: d.next.name }, "next", tMs + d.next.delayMs, fx);
}

/** End the session: de-energise, open S2, `session-end`, close. */
export function endEvcc(s0: EvccState, reason: StopReason, detail: string, fx: EvccEffect[]): EvccState {
  let s = s0;
  for (const id of Object.keys(s.timers)) fx.push({ kind: "clear-timer", id });
  s = deEnergize({ ...s, timers: {} }, fx);
  s = openS2(s, fx);
  const normal = reason === "terminated" || reason === "paused";
  fx.push({ kind: "log", level: normal ? "info" : "warn", msg: `session end: ${reason}: ${detail}` });
  fx.push({ kind: "session-end", stopReason: reason, detail });
  fx.push({ kind: "close", reason: `${reason}: ${detail}` });
  return {
    ...s,
    conn: "ended",
    pending: null,
    next: null,
    charging: false,
    paused: reason === "paused" ? s.paused : null,
  };
}
