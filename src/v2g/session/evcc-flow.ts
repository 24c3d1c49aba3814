/**
 * EVCC decisions after each response (CP/contactor order [V2G2-847]/[V2G2-848]/[V2G2-860], DC sequence
 * DIN SPEC 70121 §9.1 / ISO 15118-2 §8.8.3, AC sequence ISO 15118-2 §8.8.4, PreCharge match IEC 61851-23,
 * 60 V unlock per EVerest EvseManager): which request comes next, after what pause, and what the
 * EV does to its S2 switch, contactors and on-board charger in between.
 */

import { CONTRACT_CERTIFICATE_SERVICE_ID } from "../pnc/cps.js";
import { contractAction, createInstalledContracts } from "../pnc/installed-contract.js";
import { SAFE_VOLTAGE_V } from "./dc-physics.js";
import { checkChargerLimits } from "./evcc-limits.js";
import type { ResponseView } from "./evcc-protocol.js";
import {
  activeContract,
  chooseMode,
  clearEvccTimer,
  dischargingNow,
  EVCC_WELDING_MAX_REQUESTS,
  type EvccState,
  evccIsAc,
  setEvccTimer,
} from "./evcc-state.js";
import { dinEvccTimeouts, V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS } from "./timeouts.js";
import type { EvccEffect, MsgName, StopReason } from "./types.js";

/** The decision: next request (and delay), or the end of the session. */
export interface FlowDecision {
  state: EvccState;
  next?: { name: MsgName; delayMs: number };
  end?: { reason: StopReason; detail: string };
}

function cmd(fx: EvccEffect[], command: Extract<EvccEffect, { kind: "port-command" }>["command"]): void {
  fx.push({ kind: "port-command", command });
}

/** Close S2 (CP B→C) if open. */
export function closeS2(s: EvccState, fx: EvccEffect[]): EvccState {
  if (s.s2 === "closed") return s;
  cmd(fx, { port: "s2", op: "close" });
  return { ...s, s2: "closed" };
}

/** Open S2 (CP C→B) if closed. */
export function openS2(s: EvccState, fx: EvccEffect[]): EvccState {
  if (s.s2 === "open") return s;
  cmd(fx, { port: "s2", op: "open" });
  return { ...s, s2: "open" };
}

/** Open the DC contactors / stop the on-board charger. */
export function deEnergize(s: EvccState, fx: EvccEffect[]): EvccState {
  if (evccIsAc(s)) {
    if (s.charging) cmd(fx, { port: "charger", op: "set", currentA: 0 });
    return s;
  }
  if (s.contactors === "open") return s;
  cmd(fx, { port: "contactors", op: "open" });
  return { ...s, contactors: "open" };
}

/** EVSE status codes on which the EV stops charging. */
const EVSE_STOP_CODES = new Set([
  "EVSE_Shutdown",
  "EVSE_EmergencyShutdown",
  "EVSE_Malfunction",
  "EVSE_UtilityInterruptEvent",
]);

export function loopDecision(s: EvccState, loop: MsgName, lastWasReceipt: boolean): FlowDecision {
  const e = s.evse;
  const r = s.readings;
  const evseStops =
    e.notification === "StopCharging" ||
    // TEST-ONLY defect ignore-emergency-shutdown (evcc-defects.ts): the shutdown status codes ignored
    (e.statusCode !== null &&
      EVSE_STOP_CODES.has(e.statusCode) &&
      s.cfg.defect !== "ignore-emergency-shutdown");
  if (e.notification === "Pause" && !s.stopRequested) {
    // ISO-20 EVSE-initiated pause (as in EVerest): PowerDelivery(Stop) → (DC) WeldingDetection →
    // SessionStop(Pause)
    return {
      state: { ...s, progress: "stop", stopRequested: "pause" },
      next: { name: "PowerDelivery", delayMs: 0 },
    };
  }
  // a discharging EV (ISO 15118-20 BPT) stops at its minimum SOC instead of its full SOC
  const done = dischargingNow(s) ? r.socPercent <= r.minSocPercent : r.socPercent >= r.fullSocPercent;
  if (evseStops || s.stopRequested || r.errorCode !== "NO_ERROR" || done) {
    return { state: { ...s, progress: "stop" }, next: { name: "PowerDelivery", delayMs: 0 } };
  }
  // ISO 15118-2, and ISO 15118-20 in Scheduled mode (unconfirmed, per hupe1980/iso15118):
  // PowerDelivery(Renegotiate / ScheduleRenegotiation), then the schedule again
  if (
    e.notification === "ReNegotiation" &&
    (s.protocol === "iso2" || (s.protocol === "iso20" && s.iso20?.controlMode === "scheduled"))
  ) {
    return { state: { ...s, progress: "renegotiate" }, next: { name: "PowerDelivery", delayMs: 0 } };
  }
  if (e.receiptRequired && !lastWasReceipt && s.protocol === "iso2") {
    return { state: s, next: { name: "MeteringReceipt", delayMs: 0 } };
  }
  return { state: s, next: { name: loop, delayMs: s.cfg.pacing.loopMs } };
}

/** Decide what follows the (successful) response to `name`. */
export function afterResponse(
  s0: EvccState,
  name: MsgName,
  view: ResponseView,
  tMs: number,
  fx: EvccEffect[],
): FlowDecision {
  let s = s0;
  const p = s.cfg.pacing;
  const ongoing =
    view.processing === "Ongoing" || view.processing === "Ongoing_WaitingForCustomerInteraction";
  switch (name) {
    case "SessionSetup":
      s = clearEvccTimer(s, "communication-setup", fx);
      return {
        state: { ...s, resumed: view.code === "OK_OldSessionJoined", paused: null },
        next: { name: "ServiceDiscovery", delayMs: 0 },
      };
    case "ServiceDiscovery": {
      const pnc = s.protocol === "iso2" ? choosePnc(s, tMs) : null;
      if (pnc && "end" in pnc) return { state: s, end: pnc.end };
      // Contract when the EV holds a valid contract (configured or installed) and the SECC offers it (ISO-2
      // only), or is about to install one; else ExternalPayment
      const contract =
        s.protocol === "iso2" &&
        s.evse.paymentOptions.includes("Contract") &&
        activeContract(s, tMs) !== undefined;
      const payment = pnc?.payment ?? (contract ? "Contract" : "ExternalPayment");
      s = { ...s, pnc, payment };
      if (payment !== "Contract" && !s.evse.paymentOptions.includes("ExternalPayment"))
        return { state: s, end: { reason: "incompatible", detail: "EVSE does not offer ExternalPayment" } };
      const mode =
        s.protocol === "din"
          ? s.evse.modes.some((m) => m.startsWith("DC"))
            ? s.cfg.mode
            : null
          : chooseMode(s.cfg.mode, s.evse.modes);
      if (!mode)
        return {
          state: s,
          end: {
            reason: "incompatible",
            detail: `EVSE offers ${s.evse.modes.join("/")}, EV needs ${s.cfg.mode}`,
          },
        };
      if (mode !== s.cfg.mode)
        fx.push({
          kind: "log",
          level: "warn",
          msg: `EVSE offers only ${mode}: requesting it, the single-phase on-board charger draws on one phase`,
        });
      return { state: { ...s, mode }, next: { name: "PaymentSelection", delayMs: 0 } };
    }
    case "PaymentSelection":
      if (s.pnc?.action === "install")
        return { state: s, next: { name: "CertificateInstallation", delayMs: 0 } };
      if (s.pnc?.action === "update") return { state: s, next: { name: "CertificateUpdate", delayMs: 0 } };
      if (s.payment === "Contract") return { state: s, next: { name: "PaymentDetails", delayMs: 0 } };
      s = setEvccTimer(s, "ongoing", tMs + s.cfg.ongoingTimeoutMs, fx);
      return { state: s, next: { name: "Authorization", delayMs: 0 } };
    case "CertificateInstallation":
    case "CertificateUpdate":
      fx.push({
        kind: "log",
        level: "info",
        msg: `contract ${name === "CertificateUpdate" ? "updated" : "installed"}`,
      });
      return { state: s, next: { name: "PaymentDetails", delayMs: 0 } };
    case "PaymentDetails":
      s = setEvccTimer(
        { ...s, genChallenge: view.genChallenge ?? null },
        "ongoing",
        tMs + s.cfg.ongoingTimeoutMs,
        fx,
      );
      return { state: s, next: { name: "Authorization", delayMs: 0 } };
    case "Authorization":
      if (ongoing) return { state: s, next: { name: "Authorization", delayMs: p.ongoingMs } };
      s = setEvccTimer(s, "ongoing", tMs + s.cfg.ongoingTimeoutMs, fx);
      return { state: s, next: { name: "ChargeParameterDiscovery", delayMs: 0 } };
    case "ChargeParameterDiscovery":
      if (ongoing) return { state: s, next: { name: "ChargeParameterDiscovery", delayMs: p.ongoingMs } };
      s = clearEvccTimer(s, "ongoing", fx);
      if (!s.renegotiating) {
        const verdict = checkChargerLimits(s);
        // SessionStop may follow ChargeParameterDiscoveryRes (DIN SPEC 70121 / ISO 15118-2 message sequence):
        // end the session cleanly, S2 still open, and name the reason.
        if (verdict.kind === "refuse") {
          fx.push({ kind: "log", level: "warn", msg: verdict.detail });
          return {
            state: { ...s, refusal: verdict.detail, stopRequested: "stop" },
            next: { name: "SessionStop", delayMs: 0 },
          };
        }
        for (const msg of verdict.notes) fx.push({ kind: "log", level: "info", msg });
      }
      if (s.renegotiating || evccIsAc(s)) {
        // AC closes S2 after PowerDeliveryRes(Start): a delayed S2 closure holds that request.
        const delayMs = s.renegotiating ? 0 : Math.max(0, s.readings.s2ReadyAtMs - tMs);
        return { state: { ...s, progress: "start" }, next: { name: "PowerDelivery", delayMs } };
      }
      s = closeS2(s, fx);
      if (s.protocol === "din" && s.cfg.dinEdition === "2014") s = armReadyToCharge(s, tMs, fx);
      s = setEvccTimer(s, "cable-check", tMs + cableCheckTimeoutMs(s), fx);
      // The SECC waits only V2G_SECC_CPState_Detection_Timeout for state C once CableCheck has begun
      // (ISO 15118-2 / DIN SPEC 70121): with a delayed S2 closure, ask for it only when S2 is closed.
      return { state: s, next: { name: "CableCheck", delayMs: Math.max(0, s.readings.s2ReadyAtMs - tMs) } };
    case "CableCheck":
      if (ongoing) return { state: s, next: { name: "CableCheck", delayMs: p.ongoingMs } };
      if (s.evse.isolation === "Fault")
        return {
          state: s,
          end: { reason: "emergency", detail: "isolation fault reported in CableCheckRes" },
        };
      s = clearEvccTimer(s, "cable-check", fx);
      if (s.protocol === "din" && s.cfg.dinEdition === "2024") s = armReadyToCharge(s, tMs, fx);
      s = setEvccTimer(s, "pre-charge", tMs + s.cfg.preChargeTimeoutMs, fx);
      return { state: s, next: { name: "PreCharge", delayMs: 0 } };
    case "PreCharge": {
      const tol = s.cfg.preChargeToleranceV;
      const vb = s.readings.batteryVoltageV;
      const matched =
        Math.abs(s.evse.presentVoltageV - vb) < tol &&
        (!s.cfg.verifyInletVoltage || Math.abs(s.readings.inletVoltageV - vb) < tol);
      if (!matched) return { state: s, next: { name: "PreCharge", delayMs: p.preChargeMs } };
      s = clearEvccTimer(s, "pre-charge", fx);
      cmd(fx, { port: "contactors", op: "close" });
      return {
        state: { ...s, contactors: "closed", progress: "start" },
        next: { name: "PowerDelivery", delayMs: 0 },
      };
    }
    case "PowerDelivery":
      return afterPowerDelivery(s, fx);
    case "CurrentDemand":
      return loopDecision(s, "CurrentDemand", false);
    case "ChargingStatus": {
      const want = Math.min(s.readings.acMaxCurrentA, s.evse.acMaxCurrentA || s.readings.acMaxCurrentA);
      cmd(fx, { port: "charger", op: "set", currentA: want });
      return loopDecision(s, "ChargingStatus", false);
    }
    case "MeteringReceipt":
      return loopDecision(s, evccIsAc(s) ? "ChargingStatus" : "CurrentDemand", true);
    case "WeldingDetection": {
      const n = s.weldingRequests + 1;
      s = { ...s, weldingRequests: n };
      const done = s.evse.presentVoltageV < SAFE_VOLTAGE_V || n >= EVCC_WELDING_MAX_REQUESTS;
      return {
        state: s,
        next: { name: done ? "SessionStop" : "WeldingDetection", delayMs: done ? 0 : p.weldingMs },
      };
    }
    case "SessionStop": {
      const pause = s.stopRequested === "pause" && s.protocol !== "din" && s.sessionId;
      s = {
        ...s,
        paused: pause && s.sessionId && s.protocol ? { sessionId: s.sessionId, protocol: s.protocol } : null,
      };
      if (s.refusal) return { state: s, end: { reason: "incompatible", detail: s.refusal } };
      return { state: s, end: { reason: pause ? "paused" : "terminated", detail: "SessionStopRes" } };
    }
    default:
      return { state: s, end: { reason: "unexpected-message", detail: `no EVCC flow after ${name}` } };
  }
}

/**
 * ISO-2 Plug & Charge choice after ServiceDiscoveryRes: Contract when the EV is configured for it and the
 * EVSE offers it; then Installation (no valid contract) or Update (expiring within the renew period) when
 * the EVSE offers the ContractCertificate service (ServiceID 2, sets Installation / Update, as in RISE-V2G).
 * Without a contract and without that service the EV falls back to ExternalPayment when offered. null: EIM as
 * before.
 */
function choosePnc(
  s: EvccState,
  tMs: number,
): EvccState["pnc"] | { end: { reason: StopReason; detail: string } } {
  const cfg = s.cfg.pnc;
  if (!cfg || !s.evse.paymentOptions.includes("Contract")) return null;
  const offered = s.evse.services.includes(CONTRACT_CERTIFICATE_SERVICE_ID);
  const nowS = Math.floor(s.cfg.epochS + tMs / 1000);
  const action = contractAction(s.contracts ?? createInstalledContracts(), nowS, cfg.renewDays);
  if (action === "install" && !offered) {
    if (s.evse.paymentOptions.includes("ExternalPayment")) return null;
    return {
      end: {
        reason: "incompatible",
        detail: "no contract and the EVSE offers no ContractCertificate service",
      },
    };
  }
  return { payment: "Contract", action: offered ? action : null };
}

/**
 * DIN V2G_EVCC_ReadyToCharge_Timeout until PowerDeliveryReq(start). Our reading (unconfirmed): the 150 s of
 * EcoG-io/iso15118 runs from ChargeParameterDiscovery Finished; the 10 s of the 2024 edition (HotWire) cannot
 * cover CableCheck (38 s), so it runs from CableCheck Finished.
 */
function armReadyToCharge(s: EvccState, tMs: number, fx: EvccEffect[]): EvccState {
  return setEvccTimer(s, "ready-to-charge", tMs + dinEvccTimeouts(s.cfg.dinEdition).readyToChargeMs, fx);
}

function cableCheckTimeoutMs(s: EvccState): number {
  return s.protocol === "din"
    ? dinEvccTimeouts(s.cfg.dinEdition).cableCheckMs
    : V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS;
}

function afterPowerDelivery(s0: EvccState, fx: EvccEffect[]): FlowDecision {
  let s = s0;
  if (s.progress === "start") {
    s = clearEvccTimer({ ...s, charging: true, renegotiating: false }, "ready-to-charge", fx);
    if (!evccIsAc(s)) return { state: s, next: { name: "CurrentDemand", delayMs: 0 } };
    s = closeS2(s, fx);
    const want = Math.min(s.readings.acMaxCurrentA, s.evse.acMaxCurrentA || s.readings.acMaxCurrentA);
    cmd(fx, { port: "charger", op: "set", currentA: want });
    return { state: s, next: { name: "ChargingStatus", delayMs: 0 } };
  }
  if (s.progress === "renegotiate") {
    s = setEvccTimer({ ...s, renegotiating: true }, "ongoing", s.nowMs + s.cfg.ongoingTimeoutMs, fx);
    return { state: s, next: { name: "ChargeParameterDiscovery", delayMs: 0 } };
  }
  s = deEnergize(s, fx);
  s = openS2({ ...s, charging: false }, fx);
  const welding = !evccIsAc(s) && s.cfg.weldingDetection;
  return { state: s, next: { name: welding ? "WeldingDetection" : "SessionStop", delayMs: 0 } };
}
