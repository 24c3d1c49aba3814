/**
 * The SECC's V2G certificate in the OCPP 2.0.1 station (Part 2 functional blocks A and M, ISO 15118
 * support): A02 / A03 renewal — TriggerMessage SignV2GCertificate (or the leaf close to its end) → the host
 * makes a key pair and a CSR → SignCertificateRequest{csr, certificateType V2GCertificate} → the CSMS's
 * CertificateSigned → the host verifies and installs the chain, and its verdict is the answer — and M06
 * GetCertificateStatus: the OCSP status of the SECC leaf, asked once registered and again before the
 * cached response's nextUpdate, handed to the host to staple (RFC 6066 §8). Pure code: crypto, files and
 * the TLS server are the host's (`certificate` effects; the answers come back as events).
 */
import { enqueue, type StationState } from "./station-state.js";
import type { SeccCertificateInfo, StationEffect } from "./types.js";

/** Ask for a fresh OCSP response this long before the cached one's nextUpdate (ms). Design choice: a day. */
export const OCSP_REFRESH_BEFORE_MS = 86_400_000;
/** After a failed GetCertificateStatus (or an unusable response), ask again after this long (ms). */
export const CERT_STATUS_RETRY_MS = 60_000;
/** After an automatic renewal attempt that came to nothing, the next one waits this long (ms). */
export const CERT_RENEW_RETRY_MS = 3_600_000;

/** Where the V2G certificate renewal stands (A02). */
export type CsrStage =
  | { kind: "none" }
  /** The host is making the key pair and CSR. */
  | { kind: "making" }
  /** SignCertificate queued or in flight (its call id). */
  | { kind: "sent"; callId: string }
  /** The CSMS accepted the CSR: the CertificateSigned is awaited. */
  | { kind: "accepted" }
  /** A CertificateSigned is being verified by the host (the request's id). */
  | { kind: "checking"; reqId: string };

/** The certificate part of the station state. */
export interface StationCerts {
  /** The SECC certificate the host manages (null: none, the station does no V2G certificate work). */
  readonly secc: SeccCertificateInfo | null;
  readonly csr: CsrStage;
  /** GetCertificateStatus queued or in flight. */
  readonly statusCallId: string | null;
  /** No GetCertificateStatus before this time (ms) after a failure. */
  readonly statusRetryAtMs: number | null;
  /** No automatic renewal before this time (ms). */
  readonly renewRetryAtMs: number | null;
}

/** No SECC certificate yet. */
export function createCerts(): StationCerts {
  return {
    secc: null,
    csr: { kind: "none" },
    statusCallId: null,
    statusRetryAtMs: null,
    renewRetryAtMs: null,
  };
}

const certsOf = (s: StationState): StationCerts => s.certs ?? createCerts();
const withCerts = (s: StationState, c: Partial<StationCerts>): StationState => ({
  ...s,
  certs: { ...certsOf(s), ...c },
});
const certFx = (fx: StationEffect[], command: Extract<StationEffect, { kind: "certificate" }>["command"]) =>
  fx.push({ kind: "certificate", command });

/**
 * The host's SECC certificate (at start, after an install, after an OCSP response was checked). A new leaf
 * (another CertID) has no OCSP response yet: its status is asked at once, whatever the retry delay.
 */
export function onSeccCertificate(
  s: StationState,
  info: SeccCertificateInfo,
  fx: StationEffect[],
): StationState {
  const old = certsOf(s).secc?.ocspRequestData;
  const d = info.ocspRequestData;
  const newLeaf =
    !old ||
    old.serialNumber !== d.serialNumber ||
    old.issuerKeyHash !== d.issuerKeyHash ||
    old.issuerNameHash !== d.issuerNameHash;
  return certTick(withCerts(s, { secc: info, ...(newLeaf && { statusRetryAtMs: null }) }), fx);
}

/**
 * M06 and the automatic A02: ask for the OCSP status when there is no usable response or its nextUpdate is
 * within {@link OCSP_REFRESH_BEFORE_MS}; start a renewal when the leaf ends within `v2gRenewBeforeDays`.
 * Only once the CSMS accepted the BootNotification (B02 / B03 hold other messages).
 */
export function certTick(s0: StationState, fx: StationEffect[]): StationState {
  let s = s0;
  const c = certsOf(s);
  if (!c.secc || !s.online || s.registration !== "Accepted") return s;
  const now = s.nowMs;
  const next = c.secc.ocspNextUpdateMs;
  const due = next === null || now >= next - OCSP_REFRESH_BEFORE_MS;
  if (due && c.statusCallId === null && (c.statusRetryAtMs === null || now >= c.statusRetryAtMs)) {
    const [s1, id] = enqueue(s, "GetCertificateStatus", { ocspRequestData: c.secc.ocspRequestData }, fx);
    s = withCerts(s1, { statusCallId: id, statusRetryAtMs: null });
  }
  const days = s.cfg.v2gRenewBeforeDays;
  const c2 = certsOf(s);
  if (
    days !== undefined &&
    days > 0 &&
    c2.csr.kind === "none" &&
    c2.secc !== null &&
    c2.secc.notAfterMs - now <= days * 86_400_000 &&
    (c2.renewRetryAtMs === null || now >= c2.renewRetryAtMs)
  ) {
    fx.push({
      kind: "log",
      level: "info",
      msg: `SECC certificate ends ${new Date(c2.secc.notAfterMs).toISOString()} (within ${days} days): renewing (A02)`,
    });
    s = startCsr(withCerts(s, { renewRetryAtMs: now + CERT_RENEW_RETRY_MS }), fx);
  }
  return s;
}

function startCsr(s: StationState, fx: StationEffect[]): StationState {
  certFx(fx, { kind: "make-csr", certificateType: "V2GCertificate" });
  return withCerts(s, { csr: { kind: "making" } });
}

/**
 * F06 TriggerMessage SignV2GCertificate (A02 via A03's trigger): Accepted and a CSR is made, unless the
 * station manages no SECC certificate or a renewal is already under way (Rejected, with the reason).
 */
export function triggerSignV2g(
  s: StationState,
  reply: (p: Record<string, unknown>) => void,
  fx: StationEffect[],
): StationState {
  const c = certsOf(s);
  if (!c.secc) {
    reply({
      status: "Rejected",
      statusInfo: { reasonCode: "NoV2GCertificate", additionalInfo: "this station has no SECC certificate" },
    });
    return s;
  }
  if (c.csr.kind !== "none" && c.csr.kind !== "accepted") {
    reply({
      status: "Rejected",
      statusInfo: { reasonCode: "InProgress", additionalInfo: `a V2G certificate renewal is ${c.csr.kind}` },
    });
    return s;
  }
  reply({ status: "Accepted" });
  return startCsr(s, fx);
}

/** The host's CSR: SignCertificateRequest (A02). */
export function onCsr(s: StationState, csr: string, fx: StationEffect[]): StationState {
  if (certsOf(s).csr.kind !== "making") {
    fx.push({ kind: "log", level: "warn", msg: "a CSR nobody asked for: dropped" });
    certFx(fx, { kind: "drop-csr", reason: "not asked for" });
    return s;
  }
  const [s1, callId] = enqueue(s, "SignCertificate", { csr, certificateType: "V2GCertificate" }, fx);
  return withCerts(s1, { csr: { kind: "sent", callId } });
}

export function onCsrFailed(s: StationState, error: string, fx: StationEffect[]): StationState {
  fx.push({ kind: "log", level: "error", msg: `V2G certificate CSR: ${error}` });
  return withCerts(s, { csr: { kind: "none" } });
}

/** The answer to a certificate call (SignCertificate, GetCertificateStatus); null for any other action. */
export function onCertResult(
  s: StationState,
  action: string,
  id: string,
  p: Record<string, unknown>,
  fx: StationEffect[],
): StationState | null {
  const c = certsOf(s);
  if (action === "SignCertificate") {
    if (c.csr.kind !== "sent" || c.csr.callId !== id) return s;
    if (p.status === "Accepted") {
      fx.push({ kind: "log", level: "info", msg: "SignCertificate accepted: waiting for CertificateSigned" });
      return withCerts(s, { csr: { kind: "accepted" } });
    }
    const why = reason(p);
    fx.push({ kind: "log", level: "warn", msg: `SignCertificate rejected${why}` });
    certFx(fx, { kind: "drop-csr", reason: `SignCertificate rejected${why}` });
    return withCerts(s, { csr: { kind: "none" } });
  }
  if (action === "GetCertificateStatus") {
    if (c.statusCallId !== id) return s;
    const s1 = withCerts(s, { statusCallId: null, statusRetryAtMs: s.nowMs + CERT_STATUS_RETRY_MS });
    if (p.status === "Accepted" && typeof p.ocspResult === "string" && p.ocspResult.length > 0) {
      certFx(fx, { kind: "ocsp-response", ocspResult: p.ocspResult });
      return s1;
    }
    fx.push({
      kind: "log",
      level: "warn",
      msg: `GetCertificateStatus ${String(p.status)}${reason(p)}: again in ${CERT_STATUS_RETRY_MS / 1000} s`,
    });
    return s1;
  }
  return null;
}

const reason = (p: Record<string, unknown>) => {
  const i = p.statusInfo as { reasonCode?: string; additionalInfo?: string } | undefined;
  return i ? ` (${i.reasonCode}${i.additionalInfo ? `: ${i.additionalInfo}` : ""})` : "";
};

/** A certificate call refused (CALLERROR) or lost with the connection: forget it, try again later. */
export function onCertCallGone(s: StationState, id: string | null, fx: StationEffect[]): StationState {
  const c = certsOf(s);
  let out = s;
  if (c.statusCallId !== null && (id === null || c.statusCallId === id))
    out = withCerts(out, { statusCallId: null, statusRetryAtMs: s.nowMs + CERT_STATUS_RETRY_MS });
  if (c.csr.kind === "sent" && (id === null || c.csr.callId === id)) {
    certFx(fx, { kind: "drop-csr", reason: "SignCertificate not answered" });
    out = withCerts(out, { csr: { kind: "none" } });
  }
  return out;
}

/**
 * A03 CertificateSigned: a V2G chain for the pending CSR goes to the host to verify and install (the answer
 * follows its verdict, `chain-checked`); anything else is Rejected now with the reason.
 */
export function onCertificateSigned(
  s: StationState,
  reqId: string,
  p: Record<string, unknown>,
  reply: (p: Record<string, unknown>) => void,
  fx: StationEffect[],
): StationState {
  const c = certsOf(s);
  const type = p.certificateType ?? "ChargingStationCertificate";
  const reject = (reasonCode: string, additionalInfo: string) => {
    reply({ status: "Rejected", statusInfo: { reasonCode, additionalInfo } });
    fx.push({
      kind: "log",
      level: "warn",
      msg: `CertificateSigned rejected: ${reasonCode}: ${additionalInfo}`,
    });
    return s;
  };
  if (type !== "V2GCertificate")
    return reject(
      "UnsupportedCertType",
      `certificateType ${String(type)}: this station renews only its V2GCertificate`,
    );
  if (!c.secc) return reject("NoV2GCertificate", "this station has no SECC certificate");
  if (c.csr.kind !== "accepted" && c.csr.kind !== "sent")
    return reject("NoPendingCSR", `no V2G certificate signing request is pending (${c.csr.kind})`);
  certFx(fx, { kind: "install-chain", reqId, certificateChain: String(p.certificateChain) });
  return withCerts(s, { csr: { kind: "checking", reqId } });
}

/** The host's verdict on a CertificateSigned chain: the answer; installed → renewal done. */
export function onChainChecked(
  s: StationState,
  ev: { reqId: string; status: "Accepted" | "Rejected"; reasonCode?: string; additionalInfo?: string },
  fx: StationEffect[],
): StationState {
  const c = certsOf(s);
  if (c.csr.kind !== "checking" || c.csr.reqId !== ev.reqId) return s;
  const ok = ev.status === "Accepted";
  fx.push({
    kind: "reply",
    reqId: ev.reqId,
    payload: ok
      ? { status: "Accepted" }
      : {
          status: "Rejected",
          statusInfo: {
            reasonCode: (ev.reasonCode ?? "InvalidCertificate").slice(0, 20),
            ...(ev.additionalInfo !== undefined && { additionalInfo: ev.additionalInfo.slice(0, 512) }),
          },
        },
  });
  fx.push({
    kind: "log",
    level: ok ? "info" : "warn",
    msg: ok
      ? "CertificateSigned: new SECC certificate installed"
      : `CertificateSigned rejected: ${ev.reasonCode}: ${ev.additionalInfo ?? ""}; the old certificate stays`,
  });
  // rejected: the key pair stays pending, the CSMS may send another chain for the same CSR
  return withCerts(s, { csr: ok ? { kind: "none" } : { kind: "accepted" }, renewRetryAtMs: null });
}
