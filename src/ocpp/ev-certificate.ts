/**
 * OCPP 2.0.1 M01 / M02 (Part 2, "Certificate installation / update EV"): the EV's ISO 15118-2
 * CertificateInstallationReq / CertificateUpdateReq, held by the SECC, goes to the CSMS as
 * Get15118EVCertificateRequest (the EXI base64-encoded) and the CSMS's exiResponse goes back to the EVSE to
 * be relayed. OCPP 1.6J carries the same request and response as JSON text in a DataTransfer with vendorId
 * "org.openchargealliance.iso15118pnc" (Open Charge Alliance, "Using ISO 15118 Plug & Charge with OCPP 1.6").
 * The EV waits at most 5 s (ISO 15118-2 Table 109), so the call goes ahead of the queued events, is never
 * journalled, and fails at once when the CSMS is unreachable. Pure code, for both stations.
 */
import { base64ToBytes, bytesToBase64 } from "../exi/hex.js";
import type { OutboxState } from "./station-state.js";
import type { StationEffect, StationEvent } from "./types.js";

/** OCPP 2.0.1 Get15118EVCertificateRequest exiRequest maxLength (characters of base64). */
export const EXI_REQUEST_MAX_LENGTH = 5600;
/** OCPP 1.6 DataTransfer vendorId of the ISO 15118 Plug & Charge messages (OCA whitepaper). */
export const PNC16_VENDOR_ID = "org.openchargealliance.iso15118pnc";

/** What the certificate relay needs of a station state (2.0.1 and 1.6 alike). */
export interface EvCertificateState extends OutboxState {
  /** The call waiting for its answer, and the SECC's request id. */
  readonly evCertificate: { callId: string; id: number } | null;
}

type Request = Extract<StationEvent, { kind: "ev-certificate-request" }>;
type Send<S> = (s: S, action: string, payload: Record<string, unknown>) => [S, string];

function answer(fx: StationEffect[], id: number, exi: Uint8Array | null, detail?: string): void {
  fx.push({
    kind: "evse",
    command: { kind: "certificate-response", id, exi, ...(detail !== undefined && { detail }) },
  });
}

/**
 * The SECC handed over an EV's certificate request: sent with `send` (ahead of the queue), or answered
 * at once when it cannot be. `version` picks the 2.0.1 call or the 1.6 DataTransfer.
 */
export function onEvCertificateRequest<S extends EvCertificateState>(
  s: S,
  ev: Request,
  fx: StationEffect[],
  version: "2.0.1" | "1.6",
  send: Send<S>,
): S {
  if (!s.online || s.registration !== "Accepted") {
    answer(fx, ev.id, null, "the CSMS is not reachable");
    fx.push({ kind: "log", level: "warn", msg: `Get15118EVCertificate (${ev.action}): CSMS offline` });
    return s;
  }
  const exiRequest = bytesToBase64(ev.exi);
  if (exiRequest.length > EXI_REQUEST_MAX_LENGTH) {
    answer(
      fx,
      ev.id,
      null,
      `exiRequest is ${exiRequest.length} characters (OCPP maxLength ${EXI_REQUEST_MAX_LENGTH})`,
    );
    return s;
  }
  const payload = { iso15118SchemaVersion: ev.schemaVersion, action: ev.action, exiRequest };
  const [s1, callId] =
    version === "1.6"
      ? send(s, "DataTransfer", {
          vendorId: PNC16_VENDOR_ID,
          messageId: "Get15118EVCertificate",
          data: JSON.stringify(payload),
        })
      : send(s, "Get15118EVCertificate", payload);
  fx.push({
    kind: "log",
    level: "info",
    msg: `Get15118EVCertificate ${ev.action}: ${ev.exi.length} B EXI to the CSMS`,
  });
  return { ...s1, evCertificate: { callId, id: ev.id } };
}

/** The 2.0.1 Get15118EVCertificateResponse carried by a 1.6 DataTransfer.conf, or why there is none. */
export function unwrapDataTransfer(p: Record<string, unknown>): Record<string, unknown> | string {
  if (p.status !== "Accepted") return `DataTransfer ${String(p.status)}`;
  try {
    const inner = JSON.parse(String(p.data ?? ""));
    if (inner && typeof inner === "object" && !Array.isArray(inner)) return inner as Record<string, unknown>;
  } catch {
    // reported below
  }
  return "DataTransfer data is not a JSON object (Get15118EVCertificateResponse)";
}

/** The bytes of base64 `text`, or null when it is not base64. */
function decodeBase64(text: string): Uint8Array | null {
  try {
    return base64ToBytes(text);
  } catch {
    return null;
  }
}

/**
 * The CSMS answered call `callId`: `p` the Get15118EVCertificateResponse (1.6: unwrapped first with
 * {@link unwrapDataTransfer}, a string being the reason it could not be).
 */
export function onEvCertificateResult<S extends EvCertificateState>(
  s: S,
  callId: string,
  p: Record<string, unknown> | string,
  fx: StationEffect[],
): S {
  const pending = s.evCertificate;
  if (!pending || pending.callId !== callId) return s;
  let detail: string | undefined;
  let exi: Uint8Array | null = null;
  if (typeof p === "string") detail = p;
  else if (p.status !== "Accepted") {
    const reason = (p.statusInfo as { reasonCode?: string } | undefined)?.reasonCode;
    detail = `Get15118EVCertificate ${String(p.status)}${reason ? ` (${reason})` : ""}`;
  } else {
    exi = typeof p.exiResponse === "string" ? decodeBase64(p.exiResponse) : null;
    if (!exi || exi.length === 0) {
      exi = null;
      detail = "Get15118EVCertificate Accepted, but exiResponse is not base64 EXI";
    }
  }
  if (exi) {
    answer(fx, pending.id, exi);
    fx.push({
      kind: "log",
      level: "info",
      msg: `Get15118EVCertificate Accepted: ${exi.length} B EXI to the EV`,
    });
  } else {
    answer(fx, pending.id, null, detail);
    fx.push({ kind: "log", level: "warn", msg: detail! });
  }
  return { ...s, evCertificate: null };
}

/** The call failed (CALLERROR, a failed send, the connection lost): the EVSE answers the EV itself. */
export function failEvCertificate<S extends EvCertificateState>(s: S, why: string, fx: StationEffect[]): S {
  const pending = s.evCertificate;
  if (!pending) return s;
  answer(fx, pending.id, null, `Get15118EVCertificate: ${why}`);
  return { ...s, evCertificate: null };
}

/** A CALLERROR for call `id`: when it is the certificate call, the EVSE answers the EV itself. */
export function failCertificateCall<S extends EvCertificateState>(
  s: S,
  id: string,
  why: string,
  fx: StationEffect[],
): S {
  return s.evCertificate?.callId === id ? failEvCertificate(s, why, fx) : s;
}
