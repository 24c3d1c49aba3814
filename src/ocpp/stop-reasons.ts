/**
 * Our stop causes as OCPP 2.0.1 TransactionEventRequest fields: `transactionInfo.stoppedReason`
 * (ReasonEnumType) and the `triggerReason` of the Ended event (TriggerReasonEnumType), use cases E06 / E07
 * (stop transaction options), F03 (remote stop). Pure code.
 */
import type { StopCause, StoppedReason, TriggerReason } from "./types.js";

/** Safety faults (src/evse/safety SafetyFault) by the ReasonEnumType that names them best. */
const TRIP_REASONS: Readonly<Record<string, StoppedReason>> = {
  "emergency-stop": "EmergencyStop",
  isolation: "GroundFault",
  "over-current": "OvercurrentFault",
  "over-voltage": "PowerQuality",
  "comm-loss": "Timeout",
  "comm-timeout": "Timeout",
  "connection-lost": "Timeout",
  "cp-lost": "EVDisconnected",
  "pp-unlatched": "EVDisconnected",
  "ev-stop-cp": "StoppedByEV",
  "board-lost": "PowerLoss",
};

/** Trips that are a loss of communication with the EV (triggerReason EVCommunicationLost). */
const COMM_TRIPS = new Set(["comm-loss", "comm-timeout", "connection-lost"]);

/**
 * The OCPP stop fields of a cause. `remote`: the CSMS asked for the stop (RequestStopTransaction was
 * accepted), which names the stop whatever the EV answered it with (F03: stoppedReason Remote,
 * triggerReason RemoteStop) unless a trip came first.
 */
export function ocppStopReason(
  cause: StopCause,
  remote: boolean,
): { stoppedReason: StoppedReason; triggerReason: TriggerReason } {
  switch (cause.kind) {
    case "trip":
      return {
        stoppedReason: TRIP_REASONS[cause.fault] ?? "Other",
        triggerReason: COMM_TRIPS.has(cause.fault) ? "EVCommunicationLost" : "AbnormalCondition",
      };
    case "unplugged":
      return remote
        ? { stoppedReason: "Remote", triggerReason: "RemoteStop" }
        : { stoppedReason: "EVDisconnected", triggerReason: "EVDeparted" };
    case "time-limit":
      return { stoppedReason: "TimeLimitReached", triggerReason: "TimeLimitReached" };
    case "ev":
      return remote
        ? { stoppedReason: "Remote", triggerReason: "RemoteStop" }
        : { stoppedReason: "StoppedByEV", triggerReason: "ChargingStateChanged" };
    case "evse":
      return remote
        ? { stoppedReason: "Remote", triggerReason: "RemoteStop" }
        : { stoppedReason: "Local", triggerReason: "StopAuthorized" };
  }
}

/** OCPP 1.6 StopTransaction.req `reason` (OCPP 1.6 §7.36 Reason). */
export type Reason16 =
  | "EmergencyStop"
  | "EVDisconnected"
  | "HardReset"
  | "Local"
  | "Other"
  | "PowerLoss"
  | "Reboot"
  | "Remote"
  | "SoftReset"
  | "UnlockCommand"
  | "DeAuthorized";

/**
 * The 1.6 Reason of a 2.0.1 stoppedReason: the same values where 1.6 has them; the finer 2.0.1 causes
 * with no 1.6 counterpart (a stop by the EV, a ground fault, a time-out) are Local (the charge point's own
 * side ended it) or Other.
 */
const REASON_16: Readonly<Record<StoppedReason, Reason16>> = {
  DeAuthorized: "DeAuthorized",
  EmergencyStop: "EmergencyStop",
  EnergyLimitReached: "Local",
  EVDisconnected: "EVDisconnected",
  GroundFault: "Other",
  ImmediateReset: "HardReset",
  Local: "Local",
  LocalOutOfCredit: "Local",
  MasterPass: "Local",
  Other: "Other",
  OvercurrentFault: "Other",
  PowerLoss: "PowerLoss",
  PowerQuality: "Other",
  Reboot: "Reboot",
  Remote: "Remote",
  SOCLimitReached: "Local",
  StoppedByEV: "Local",
  TimeLimitReached: "Local",
  Timeout: "Other",
};

/**
 * The OCPP 1.6 StopTransaction reason of a cause (OCPP 1.6 §4.10 Stop Transaction, §7.36 Reason): the
 * 2.0.1 mapping of {@link ocppStopReason}, then {@link REASON_16}. A stop by the EV (target SOC, the
 * driver in the car) is "Local": 1.6 §7.36 names Local "stopped at the Charge Point", the EV's request
 * reaching the charge point over ISO 15118 / DIN 70121.
 */
export function ocpp16StopReason(cause: StopCause, remote: boolean): Reason16 {
  return REASON_16[ocppStopReason(cause, remote).stoppedReason];
}
