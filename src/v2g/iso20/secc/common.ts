/** Shared pieces of the ISO 15118-20 SECC handlers: EVSEStatus, processing, the selected service. */
import type { iso20Common } from "../../../codecs/index.js";
import { emptyIso20Session, type Iso20Session, isBptService } from "../../session/iso20-session.js";
import type { SeccState } from "../../session/secc-state.js";

export type { iso20Common };
/** ISO-20 responseCodeType. */
export type Iso20Code = iso20Common.responseCodeType;

/** The session's -20 facts (fresh ones before SessionSetup). */
export function session20(s: SeccState): Iso20Session {
  return s.iso20 ?? emptyIso20Session();
}

/** Update the session's -20 facts. */
export function with20(s: SeccState, patch: Partial<Iso20Session>): SeccState {
  return { ...s, iso20: { ...session20(s), ...patch } };
}

/**
 * EVSEStatus (ISO 15118-20 XSD, as libiso15118 fills it): a pending stop, an emergency or a fault is
 * EVSENotification Terminate (NotificationMaxDelay 0 for an emergency or fault); an EVSE-initiated pause is
 * Pause with its own NotificationMaxDelay ([V2G20-3308]); undefined when there is nothing to notify.
 */
export function evseStatus(s: SeccState): iso20Common.EVSEStatusType | undefined {
  const f = s.readings.fault;
  if (s.emergency || f) return { NotificationMaxDelay: 0, EVSENotification: "Terminate" };
  if (s.notification === "StopCharging")
    return { NotificationMaxDelay: s.cfg.notificationMaxDelayS, EVSENotification: "Terminate" };
  if (s.notification === "Pause")
    return { NotificationMaxDelay: s.cfg.pauseNotificationMaxDelayS, EVSENotification: "Pause" };
  if (s.notification === "ReNegotiation")
    return { NotificationMaxDelay: s.cfg.notificationMaxDelayS, EVSENotification: "ScheduleRenegotiation" };
  return undefined;
}

/** The EV's EVProcessing as the sequence table reads it (Ongoing_WaitingForCustomerInteraction is Ongoing). */
export function evProcessing(p: iso20Common.processingType): "Finished" | "Ongoing" {
  return p === "Finished" ? "Finished" : "Ongoing";
}

/** A message body as a handler builds it: the envelope adds the Header. */
export type Body<T> = Omit<T, "Header">;

/**
 * EVSENominalFrequency of the AC supply (Hz): J3400 is a North American connector, on a 60 Hz grid (ANSI
 * C84.1 supplies) — the response needs a value, the supply port does not give one.
 */
export const ISO20_AC_NOMINAL_FREQUENCY_HZ = 60;

/**
 * The AC supply's power limits (W): charge = nominal voltage × maximum current × phases; discharge (BPT) = the
 * supply's discharge limit, within the same current rating (the relay and cable carry it either way).
 */
export function acSupplyPowerW(s: SeccState): { chargeW: number; dischargeW: number } {
  const ac = s.readings.ac;
  const phases = s.cfg.energyModes.includes("AC_three_phase_core") ? 3 : 1;
  const chargeW = ac.nominalVoltageV * ac.maxCurrentA * phases;
  return { chargeW, dischargeW: Math.min(chargeW, Math.max(0, Math.abs(ac.maxDischargePowerW))) };
}

/**
 * MeterInfo of a charge-loop response, sent when the EV asks for it ([V2G20-1082]): the energy that went into
 * the EV, and in a BPT session the energy that came back out (BPT_DischargedEnergyReadingWh).
 */
export function meterInfo(s: SeccState): iso20Common.MeterInfoType {
  const r = s.readings;
  return {
    MeterID: s.cfg.meterId,
    ChargedEnergyReadingWh: BigInt(Math.max(0, Math.round(r.energyWh))),
    ...(isBptService(session20(s).serviceId) && {
      BPT_DischargedEnergyReadingWh: BigInt(Math.max(0, Math.round(r.dischargedWh))),
    }),
  };
}
