/**
 * Named faults of the DC simulator (`--fault NAME`, `--list-faults`): what each one does to
 * the physics, when the default scenario injects it, and the stop reason a session ends with. The
 * simulator applies them with `DcSim.inject(name)`; the session runner schedules them with `atPhase`.
 */

import { SAFETY_STOP_REASONS } from "../../evse/safety/index.js";
import type { DcSessionPhase } from "../../v2g/index.js";

/** Phases a fault (or any scripted action) can be anchored to. */
export type DcSimPhase = DcSessionPhase;

/** Every fault name. */
export const FAULT_NAMES = [
  "cp-short",
  "cp-to-f",
  "cp-open",
  "diode-short",
  "missing-diode",
  "pp-unlatched",
  "lock-opened",
  "isolation-cable-check",
  "isolation-charging",
  "precharge-mismatch",
  "welded-contactor",
  "over-voltage",
  "over-current",
  "emergency-stop",
  "comm-loss",
  "ev-unresponsive",
  "tcp-drop",
  "malformed-message",
  "ev-over-limit",
  "ac-on-dc-pins",
  "contract-expired",
  "unknown-mo-root",
  "bad-signature",
  "replayed-challenge",
  "revoked-certificate",
  "cps-no-certificate",
  "cps-bad-signature",
  "oem-cert-expired",
  "oem-unknown-root",
  "cert-update-failed",
] as const;

/**
 * The certificate-service faults (ISO 15118-2 CertificateInstallation / CertificateUpdate,
 * [V2G2-891]) and how the EV comes by its contract in them: it installs one, or it renews the one it holds.
 */
export const CERT_FAULT_START = {
  "cps-no-certificate": "install",
  "cps-bad-signature": "install",
  "oem-cert-expired": "install",
  "oem-unknown-root": "install",
  "cert-update-failed": "update",
} as const satisfies Partial<Record<FaultName, "install" | "update">>;

/** The certificate-service faults. */
export const CERT_FAULTS = Object.keys(CERT_FAULT_START) as (keyof typeof CERT_FAULT_START)[];

/** The Plug & Charge faults: they need `--payment contract` (ISO-2) and act on configuration, not physics. */
export const PNC_FAULTS: readonly FaultName[] = [
  "contract-expired",
  "unknown-mo-root",
  "bad-signature",
  "replayed-challenge",
  "revoked-certificate",
  ...CERT_FAULTS,
];

/** A fault name. */
export type FaultName = (typeof FAULT_NAMES)[number];

/** One catalogue entry. */
export interface FaultSpec {
  name: FaultName;
  description: string;
  /** Phase the default scenario waits for, then `delayMs`. */
  phase: DcSimPhase;
  delayMs: number;
  /** Stop reason the session ends with. */
  stopReason: string;
  /** Which side detects it first. */
  detectedBy: "evse" | "ev";
  /** True when the EVSE safety supervisor trips (output off within 10 ms of detection is then measured). */
  trips: boolean;
  /** The expected safe outcome, in words (documentation, `--list-faults --json`). */
  outcome: string;
  /** Scripted follow-up: the driver stops this long after the injection (to reach WeldingDetection). */
  evStopAfterMs?: number;
}

/** Isolation resistance injected by the isolation faults (Ω): below the 100 kΩ fault limit (EVerest EvseManager). */
export const FAULT_ISOLATION_OHM = 50_000;
/** AC voltage present on the pins for `ac-on-dc-pins` (V). J3400 AC: typical 120/240 V (as reported by evmagz.com). */
export const FAULT_AC_ON_PINS_V = 240;
/**
 * `precharge-mismatch`: from the cable check on, the power stage cannot produce more than the battery's
 * open-circuit voltage minus this (V) — more than the 20 V pre-charge tolerance (IEC 61851-23, as
 * EcoG-io/iso15118 states it).
 */
export const FAULT_PRECHARGE_SHORTFALL_V = 50;
/** `ev-over-limit`: the EV asks this multiple of the EVSE's maximum current and voltage. Design choice (D). */
export const FAULT_OVER_LIMIT_FACTOR = 1.5;
/** `ev-over-limit`: how long the EV keeps asking above the limits (ms). */
export const FAULT_OVER_LIMIT_MS = 20_000;
/** `welded-contactor`: the driver stops this long after the contactor welds, so WeldingDetection runs (ms). */
export const FAULT_WELDED_STOP_AFTER_MS = 5_000;

const R = SAFETY_STOP_REASONS;
/**
 * `cps-bad-signature`: the EV's stop reason — it discards the response ([V2G2-891]) and names the
 * XMLDSig check that failed.
 */
export const CPS_BAD_SIGNATURE_STOP =
  "contract certificate rejected: CertificateInstallationRes discarded: CertificateInstallationRes: SignatureValue: ECDSA P-256 over the SignedInfo EXI fragment does not verify (SIG_VALUE, [V2G2-891])";
("contract installation rejected: CertificateInstallationRes signature invalid");
const CHARGING_DELAY_MS = 30_000;

/** The catalogue, by name. */
export const FAULTS: Readonly<Record<FaultName, FaultSpec>> = Object.freeze({
  "cp-short": f("cp-short", "CP shorted to PE (state E) while charging", "charging", R["cp-state-e"], "evse"),
  "cp-to-f": f("cp-to-f", "CP pulled to -12 V (state F) while charging", "charging", R["cp-state-f"], "evse"),
  "cp-open": f("cp-open", "CP wire open (pilot lost) while charging", "charging", R["cp-lost"], "evse"),
  "diode-short": f("diode-short", "EV CP diode shorted while charging", "charging", R["diode-fault"], "evse"),
  "missing-diode": {
    ...f(
      "missing-diode",
      "EV built without the CP diode (plugged in that way): the low PWM plateau never reaches −12 V",
      "connecting",
      R["diode-fault"],
      "evse",
      "diode check fails on the first PWM samples: EVSE trips before SLAC ends, nothing is ever energised",
    ),
    delayMs: 0,
  },
  "pp-unlatched": f(
    "pp-unlatched",
    "handle button pressed (PP unlatched) while charging",
    "charging",
    R["pp-unlatched"],
    "evse",
  ),
  "lock-opened": f(
    "lock-opened",
    "inlet lock forced open while charging",
    "charging",
    "inlet lock opened",
    "ev",
  ),
  "isolation-cable-check": {
    ...f(
      "isolation-cable-check",
      `isolation ${FAULT_ISOLATION_OHM / 1000} kΩ during the cable check`,
      "cable-check",
      R.isolation,
      "evse",
    ),
    delayMs: 100,
  },
  "isolation-charging": f(
    "isolation-charging",
    `isolation drops to ${FAULT_ISOLATION_OHM / 1000} kΩ while charging`,
    "charging",
    R.isolation,
    "evse",
  ),
  "precharge-mismatch": {
    ...f(
      "precharge-mismatch",
      `power stage cannot reach the EV's pre-charge target (output ceiling ${FAULT_PRECHARGE_SHORTFALL_V} V below the battery)`,
      "cable-check",
      "pre-charge failed: V2G_EVCC_PreCharge_Timeout expired",
      "ev",
      "EV never closes its contactors, aborts at its PreCharge timeout; EVSE switches off when the session ends",
    ),
    delayMs: 0,
  },
  "welded-contactor": {
    ...f(
      "welded-contactor",
      "EV DC contactor welds closed while charging; the driver stops 5 s later",
      "charging",
      "welded contactor",
      "ev",
      "WeldingDetection keeps reading the battery voltage (> 60 V): EV reports a welded contactor and keeps the inlet locked",
    ),
    trips: false,
    evStopAfterMs: FAULT_WELDED_STOP_AFTER_MS,
  },
  "over-voltage": f(
    "over-voltage",
    "output voltage runaway while charging",
    "charging",
    R["over-voltage"],
    "evse",
  ),
  "over-current": f(
    "over-current",
    "current regulation runaway while charging",
    "charging",
    R["over-current"],
    "evse",
  ),
  "emergency-stop": f(
    "emergency-stop",
    "emergency-stop button (mushroom) pressed while charging; latches until an operator reset",
    "charging",
    R["emergency-stop"],
    "evse",
  ),
  "comm-loss": f("comm-loss", "PLC link lost while charging", "charging", R["comm-loss"], "evse"),
  "ev-unresponsive": f(
    "ev-unresponsive",
    "EV controller hangs (stops answering) while charging",
    "charging",
    R["comm-timeout"],
    "evse",
  ),
  "tcp-drop": f(
    "tcp-drop",
    "V2G TCP connection reset in the CurrentDemand loop (PLC link stays up)",
    "charging",
    R["connection-lost"],
    "evse",
  ),
  "malformed-message": f(
    "malformed-message",
    "EV sends an undecodable EXI document in the CurrentDemand loop",
    "charging",
    R["malformed-message"],
    "evse",
    "SECC logs the ExiDecodeError and ends the session; output off ≤ 10 ms after the message is decoded",
  ),
  "ev-over-limit": {
    ...f(
      "ev-over-limit",
      `EV asks ${FAULT_OVER_LIMIT_FACTOR}× the EVSE's maximum current and voltage for ${FAULT_OVER_LIMIT_MS / 1000} s`,
      "charging",
      "target SOC reached",
      "evse",
      "EVSE clamps to its limits and answers EVSECurrentLimitAchieved / EVSEVoltageLimitAchieved (ISO 15118-2, DIN 70121 CurrentDemandRes); output never above the EVSE limits; the session continues",
    ),
    trips: false,
  },
  "ac-on-dc-pins": {
    ...f(
      "ac-on-dc-pins",
      `${FAULT_AC_ON_PINS_V} V AC on the power pins before the DC contactors close`,
      "cable-check",
      "DC refused: AC present on the inlet",
      "ev",
    ),
    delayMs: 0,
  },
  "contract-expired": pnc(
    "contract-expired",
    "the contract certificate expired (the EV's clock still trusts it): PaymentDetailsRes FAILED_CertificateExpired",
    "contract expired (FAILED_CertificateExpired)",
  ),
  "unknown-mo-root": pnc(
    "unknown-mo-root",
    "the contract chains to an MO root the SECC does not trust: PaymentDetailsRes FAILED_CertChainError",
    "contract rejected (FAILED_CertChainError)",
  ),
  "bad-signature": pnc(
    "bad-signature",
    "the EV's AuthorizationReq signature does not verify: AuthorizationRes FAILED_SignatureError",
    "authorization signature invalid (FAILED_SignatureError)",
  ),
  "replayed-challenge": pnc(
    "replayed-challenge",
    "the EV echoes a GenChallenge of an earlier session: AuthorizationRes FAILED_ChallengeInvalid",
    "challenge invalid (FAILED_ChallengeInvalid)",
  ),
  "revoked-certificate": pnc(
    "revoked-certificate",
    "the SECC's revocation check reports the contract revoked: PaymentDetailsRes FAILED_CertificateRevoked",
    "contract revoked (FAILED_CertificateRevoked)",
  ),
  "cps-no-certificate": pnc(
    "cps-no-certificate",
    "the EV has no contract and the CPS has none for it: CertificateInstallationRes FAILED_NoCertificateAvailable",
    "contract installation refused (FAILED_NoCertificateAvailable)",
  ),
  "cps-bad-signature": {
    ...pnc(
      "cps-bad-signature",
      "the CertificateInstallationRes signature does not verify with the CPS certificate: the EV discards it ([V2G2-891])",
      CPS_BAD_SIGNATURE_STOP,
    ),
    detectedBy: "ev",
    // the EVSE sees the EV close the connection: its supervisor trips (connection lost), nothing energised
    trips: true,
    outcome:
      "EV verifies the response signature before opening the contract key, discards the message and closes the connection; the EVSE trips on the lost connection with nothing energised",
  },
  "oem-cert-expired": pnc(
    "oem-cert-expired",
    "the EV's OEM provisioning certificate expired (the EV's clock still trusts it): CertificateInstallationRes FAILED_CertificateExpired",
    "contract installation refused (FAILED_CertificateExpired)",
  ),
  "oem-unknown-root": pnc(
    "oem-unknown-root",
    "the OEM provisioning certificate chains to an OEM root the SECC does not trust: CertificateInstallationRes FAILED_CertChainError",
    "contract installation refused (FAILED_CertChainError)",
  ),
  "cert-update-failed": pnc(
    "cert-update-failed",
    "the EV's contract expires soon and the CPS has no new one for its eMAID: CertificateUpdateRes FAILED_NoCertificateAvailable",
    "contract update refused (FAILED_NoCertificateAvailable)",
  ),
});

/** A Plug & Charge fault: set up before plug-in, nothing energised, the session ends with `stopReason`. */
function pnc(name: FaultName, description: string, stopReason: string): FaultSpec {
  const code = /FAILED_\w+/.exec(stopReason)?.[0];
  return {
    ...f(
      name,
      description,
      "connecting",
      stopReason,
      "evse",
      `SECC answers ${code} and ends the session before any energy flows`,
    ),
    delayMs: 0,
    trips: false,
  };
}

function f(
  name: FaultName,
  description: string,
  phase: DcSimPhase,
  stopReason: string,
  detectedBy: "evse" | "ev",
  outcome = "EVSE output off ≤ 10 ms after detection, contactors open below 5 A, EV unlocks below 60 V",
): FaultSpec {
  return {
    name,
    description,
    phase,
    delayMs: CHARGING_DELAY_MS,
    stopReason,
    detectedBy,
    trips: true,
    outcome,
  };
}

/** True when `s` names a fault. */
export function isFaultName(s: string): s is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(s);
}
