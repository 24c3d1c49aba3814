/**
 * EVCC decisions of an ISO 15118-20 EIM session (order as in EVerest libiso15118): the -20 steps before the
 * cable check (AuthorizationSetup, Authorization, ServiceDiscovery, ServiceDetail, ServiceSelection,
 * AC/DC_ChargeParameterDiscovery, ScheduleExchange) and the -20 ends of PreCharge (one last DC_PreChargeReq
 * with EVProcessing Finished, [V2G20-2006]); everything from the cable check on is the DIN/ISO-2 DC flow of
 * `evcc-flow.ts` (S2, contactors, pre-charge match, charge loop, welding detection, SessionStop). AC and
 * AC_BPT: ScheduleExchange → S2 closed → PowerDelivery(Start) → AC_ChargeLoop (the on-board charger follows
 * the EVSE's target power, negative = feeding back) → PowerDelivery(Stop) at the full SOC, or at the minimum
 * SOC when discharging → SessionStop.
 */

import { contractUsable } from "../pnc/contract-store.js";
import { acChargerCurrentA, acNominalV, dischargeDone, wantsDischarge } from "./evcc-ac20.js";
import { afterResponse, closeS2, type FlowDecision, loopDecision } from "./evcc-flow.js";
import { checkChargerLimits } from "./evcc-limits.js";
import type { ResponseView } from "./evcc-protocol.js";
import { clearEvccTimer, type EvccIso20, type EvccState, setEvccTimer } from "./evcc-state.js";
import { ISO20_CONTROL_MODE_VALUE, isAcService, isBptService, wantedIso20Service } from "./iso20-session.js";
import { isAcMode } from "./secc-state.js";
import { V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO20_MS, V2G_EVCC_PRE_CHARGE_TIMEOUT_ISO20_MS } from "./timeouts.js";
import type { EvccEffect, MsgName } from "./types.js";

/**
 * ISO-20 WARNING_* response codes after which the EVCC carries on as after OK (WARNING* is not fatal, the EV
 * decides, cf. [V2G20-2230]): the SECC does not support Standby or schedule renegotiation, so
 * the EV keeps charging: its flow continues as after OK (PowerDelivery(Start) answered this way goes on to
 * the charge loop). Every other WARNING_* ends the session as FAILED_* does.
 */
export const ISO20_EVCC_CONTINUE_ON: readonly string[] = Object.freeze([
  "WARNING_StandbyNotAllowed",
  "WARNING_ScheduleRenegotiationFailed",
]);

/**
 * The DIN/ISO-2 energy transfer modes that stand for -20 energy services in the EVSE view: the DC services
 * (2, 6) for DC_extended (Connector Extended), the AC ones (1, 5) for the AC modes.
 */
export function iso20ModesOf(services: readonly number[]): string[] {
  return [
    ...(services.some((id) => !isAcService(id)) ? ["DC_extended"] : []),
    ...(services.some((id) => isAcService(id)) ? ["AC_single_phase_core", "AC_three_phase_core"] : []),
  ];
}

/** The session's -20 facts (fresh ones for a new session). */
export function evcc20(s: EvccState): EvccIso20 {
  return s.iso20 ?? freshIso20(s);
}

function freshIso20(s: EvccState): EvccIso20 {
  return {
    serviceId: null,
    parameterSetId: null,
    controlMode: s.cfg.iso20ControlMode,
    preChargeFinished: false,
    bptChannel: "Charge",
    acCurrentA: 0,
  };
}

function next(state: EvccState, name: MsgName, delayMs = 0): FlowDecision {
  return { state, next: { name, delayMs } };
}

/** Decide what follows the (successful) -20 response to `name`. */
export function afterResponseIso20(
  s0: EvccState,
  name: MsgName,
  view: ResponseView,
  tMs: number,
  fx: EvccEffect[],
): FlowDecision {
  let s = s0;
  const p = s.cfg.pacing;
  const ongoing = view.processing !== undefined && view.processing !== "Finished";
  switch (name) {
    case "SessionSetup": {
      s = clearEvccTimer(s, "communication-setup", fx);
      const resumed = view.code === "OK_OldSessionJoined" && s.iso20?.parameterSetId != null;
      const iso20: EvccIso20 = resumed ? { ...evcc20(s), preChargeFinished: false } : freshIso20(s);
      s = { ...s, resumed, paused: null, iso20 };
      // a resumed session skips ServiceDiscovery ([V2G20-1032], [V2G20-1844]): the service selected before
      // the pause stands for what the EVSE offers (the EV's DC/AC decision reads it)
      const kept = resumed && iso20.serviceId !== null ? [iso20.serviceId] : null;
      if (kept) s = { ...s, evse: { ...s.evse, services: kept, modes: iso20ModesOf(kept) } };
      // a resumed session continues at DC_ChargeParameterDiscovery
      return next(s, resumed ? "ChargeParameterDiscovery" : "AuthorizationSetup");
    }
    case "AuthorizationSetup": {
      // PnC when offered (with its GenChallenge) and the EV holds a valid -20 contract, else EIM
      const nowMs = (s.cfg.epochS + tMs / 1000) * 1000;
      const pnc =
        s.evse.authServices.includes("PnC") &&
        view.genChallenge !== undefined &&
        contractUsable(s.cfg.contract20, nowMs);
      if (!pnc && !s.evse.authServices.includes("EIM"))
        return {
          state: s,
          end: {
            reason: "incompatible",
            detail: s.cfg.contract20
              ? "EVSE offers neither EIM nor PnC authorization the EV can use"
              : "EVSE does not offer EIM authorization",
          },
        };
      const auth = pnc
        ? { auth: "PnC" as const, pncChallenge: view.genChallenge! }
        : { auth: "EIM" as const };
      s = { ...s, iso20: { ...evcc20(s), ...auth } };
      s = setEvccTimer(s, "ongoing", tMs + s.cfg.ongoingTimeoutMs, fx);
      return next(s, "Authorization");
    }
    case "Authorization":
      if (ongoing) return next(s, "Authorization", p.ongoingMs);
      return next(clearEvccTimer(s, "ongoing", fx), "ServiceDiscovery");
    case "ServiceDiscovery": {
      const want = wantedIso20Service(isAcMode(s.cfg.mode), s.cfg.bidirectional, s.evse.services);
      if (!s.evse.services.includes(want))
        return {
          state: s,
          end: {
            reason: "incompatible",
            detail: `EVSE offers services ${s.evse.services.join("/") || "none"}, EV needs service ${want}`,
          },
        };
      if (s.cfg.bidirectional && !isBptService(want))
        fx.push({
          kind: "log",
          level: "warn",
          msg: `EVSE offers no bidirectional service: charging only (service ${want})`,
        });
      return next({ ...s, iso20: { ...evcc20(s), serviceId: want } }, "ServiceDetail");
    }
    case "ServiceDetail": {
      const want = evcc20(s).controlMode;
      const set = s.evse.parameterSets.find((x) => x.controlMode === ISO20_CONTROL_MODE_VALUE[want]);
      if (!set)
        return {
          state: s,
          end: {
            reason: "incompatible",
            detail: `EVSE offers no parameter set of service ${evcc20(s).serviceId} with ControlMode ${want}`,
          },
        };
      return next({ ...s, iso20: { ...evcc20(s), parameterSetId: set.id } }, "PaymentSelection");
    }
    case "PaymentSelection":
      return next(s, "ChargeParameterDiscovery");
    case "ChargeParameterDiscovery": {
      // -20 AC gives power; the on-board charger checks the current it makes at the nominal voltage
      if (isAcService(evcc20(s).serviceId))
        s = { ...s, evse: { ...s.evse, acMaxCurrentA: s.evse.acMaxChargePowerW / acNominalV(s) } };
      const verdict = checkChargerLimits(s);
      if (verdict.kind === "refuse") {
        fx.push({ kind: "log", level: "warn", msg: verdict.detail });
        return next({ ...s, refusal: verdict.detail, stopRequested: "stop" }, "SessionStop");
      }
      for (const msg of verdict.notes) fx.push({ kind: "log", level: "info", msg });
      s = setEvccTimer(s, "ongoing", tMs + s.cfg.ongoingTimeoutMs, fx);
      return next(s, "ScheduleExchange");
    }
    case "ScheduleExchange":
      if (ongoing) return next(s, "ScheduleExchange", p.ongoingMs);
      s = clearEvccTimer(s, "ongoing", fx);
      // the renegotiated schedule: straight back to PowerDelivery(Start), the output still on (unconfirmed)
      if (s.renegotiating) return next({ ...s, progress: "start" }, "PowerDelivery");
      if (isAcService(evcc20(s).serviceId)) return acStart(s, tMs, fx);
      s = closeS2(s, fx);
      s = setEvccTimer(s, "cable-check", tMs + V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO20_MS, fx);
      return next(s, "CableCheck", Math.max(0, s.readings.s2ReadyAtMs - tMs));
    case "CableCheck": {
      const d = afterResponse(s, name, view, tMs, fx);
      if (d.next?.name !== "PreCharge") return d;
      // -20 pre-charge budget: 10 s (V2G_EVCC_PreCharge_Timeout, EcoG-io/iso15118 and EVerest)
      const st = setEvccTimer(d.state, "pre-charge", tMs + V2G_EVCC_PRE_CHARGE_TIMEOUT_ISO20_MS, fx);
      return { ...d, state: { ...st, iso20: { ...evcc20(st), preChargeFinished: false } } };
    }
    case "PreCharge": {
      // the answer to the Finished request: on to PowerDelivery(Start), contactors already closed
      if (evcc20(s).preChargeFinished) return next({ ...s, progress: "start" }, "PowerDelivery");
      const d = afterResponse(s, name, view, tMs, fx);
      if (d.next?.name !== "PowerDelivery") return d;
      // matched: one more DC_PreChargeReq carrying EVProcessing Finished, then PowerDelivery ([V2G20-2006]);
      // the contactors closed by the DIN/ISO-2 decision stay closed
      return next({ ...d.state, iso20: { ...evcc20(d.state), preChargeFinished: true } }, "PreCharge");
    }
    case "PowerDelivery":
      if (s.progress === "renegotiate") {
        const loop = isAcService(evcc20(s).serviceId) ? "ChargingStatus" : "CurrentDemand";
        // a SECC without schedule renegotiation: the loop goes on with the schedule the EV has
        if (view.code === "WARNING_ScheduleRenegotiationFailed")
          return next({ ...s, progress: "start" }, loop);
        s = setEvccTimer({ ...s, renegotiating: true }, "ongoing", tMs + s.cfg.ongoingTimeoutMs, fx);
        return next(s, "ScheduleExchange");
      }
      if (!isAcService(evcc20(s).serviceId)) return afterResponse(s, name, view, tMs, fx);
      if (s.progress === "start") {
        s = closeS2({ ...s, charging: true, renegotiating: false }, fx);
        return next(setAcCurrent(s, fx), "ChargingStatus");
      }
      return afterResponse({ ...s, iso20: { ...evcc20(s), acCurrentA: 0 } }, name, view, tMs, fx);
    case "ChargingStatus": {
      const r = s.readings;
      // a discharging EV stops at its minimum SOC (the charging one at its full SOC, in loopDecision)
      const d =
        evcc20(s).bptChannel === "Discharge" && dischargeDone(r.socPercent, r.minSocPercent, r.capacityWh)
          ? next({ ...s, progress: "stop" }, "PowerDelivery")
          : loopDecision(s, "ChargingStatus", false);
      if (d.next?.name === "ChargingStatus") return { ...d, state: setAcCurrent(d.state, fx) };
      // stopping: the on-board charger to 0 A first, so the contactor never breaks the load (IEC 61851-1)
      const i = evcc20(d.state);
      if (i.acCurrentA !== 0)
        fx.push({ kind: "port-command", command: { port: "charger", op: "set", currentA: 0 } });
      return { ...d, state: { ...d.state, iso20: { ...i, acCurrentA: 0 } } };
    }
    default:
      return afterResponse(s, name, view, tMs, fx);
  }
}

/**
 * -20 AC after ScheduleExchange: the direction (BPT_ChannelSelection Discharge when the EV wants
 * to give energy back), S2 closed (CP C) so the EVSE can close its contactor before it answers
 * PowerDelivery(Start) (as EVerest's -20 SECC does), a delayed S2 closure holding that request.
 */
function acStart(s0: EvccState, tMs: number, fx: EvccEffect[]): FlowDecision {
  const i = evcc20(s0);
  const bptChannel = wantsDischarge(s0, i) ? "Discharge" : "Charge";
  const s = closeS2({ ...s0, progress: "start", iso20: { ...i, bptChannel } }, fx);
  return next(s, "PowerDelivery", Math.max(0, s.readings.s2ReadyAtMs - tMs));
}

/** Tell the on-board charger the current of the EVSE's target power ({@link acChargerCurrentA}). */
function setAcCurrent(s: EvccState, fx: EvccEffect[]): EvccState {
  const i = evcc20(s);
  const currentA = Math.round(acChargerCurrentA(s, i) * 10) / 10;
  if (currentA !== i.acCurrentA)
    fx.push({ kind: "port-command", command: { port: "charger", op: "set", currentA } });
  return { ...s, iso20: { ...i, acCurrentA: currentA } };
}
