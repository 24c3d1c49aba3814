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
