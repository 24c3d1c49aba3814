/**
 * The phases of a charging session as a report names them, derived from the V2G messages exchanged
 * (DIN SPEC 70121 §9.1 / ISO 15118-2 §8.8.3 DC message sequence): CableCheck → PreCharge →
 * CurrentDemand loop → PowerDelivery (stop) → end (ISO 15118-20: DC_CableCheck → DC_PreCharge → DC_ChargeLoop);
 * an AC session (ISO 15118-2 §8.8.4; ISO 15118-20 AC_ChargeLoop) goes from
 * connecting straight to charging with the ChargingStatus loop. Both sides and every host name them the
 * same way.
 */

/** Phases of a DC session in order. */
export const DC_SESSION_PHASES = [
  "connecting",
  "cable-check",
  "pre-charge",
  "charging",
  "stopping",
  "ended",
] as const;
/** One phase. */
export type DcSessionPhase = (typeof DC_SESSION_PHASES)[number];

/**
 * The phase after message `name` (request or response: "CableCheckReq" and "CableCheckRes" count alike),
 * or `phase` unchanged. Moves forward only, except that a CableCheck starts a new energy transfer (a
 * resumed or re-plugged session); a PowerDelivery before the charge loop does not mean stopping.
 */
export function dcPhaseAfter(phase: DcSessionPhase, name: string): DcSessionPhase {
  // ISO 15118-20: DC_CableCheck / DC_PreCharge / DC_ChargeLoop are the DC messages of the same phases,
  // AC_ChargeLoop the AC loop (ChargingStatus)
  const base = name.replace(/(Req|Res)$/, "");
  const bare = base.replace(/^(DC|AC)_/, "");
  const m = bare === "ChargeLoop" ? (base.startsWith("AC_") ? "ChargingStatus" : "CurrentDemand") : bare;
  if (m === "CableCheck") return "cable-check";
  if (m === "PreCharge" && phase === "cable-check") return "pre-charge";
  if (m === "CurrentDemand" && phase === "pre-charge") return "charging";
  if (m === "ChargingStatus" && phase === "connecting") return "charging";
  if (m === "PowerDelivery" && phase === "charging") return "stopping";
  return phase;
}
