/**
 * OCPP 1.6 charging profiles (§3.13 Smart Charging, §7.8 ChargingProfile) in the shape of the 2.0.1 code,
 * so the composite-limit arithmetic and the checks of src/ocpp/profiles.ts serve both: the one schedule
 * becomes a list of one, ChargePointMaxProfile is ChargingStationMaxProfile, the integer transactionId a
 * string, and a schedule in A becomes W by the nominal voltage (W = A × V). Pure code.
 */
import { profileProblem, type TxContext } from "../profiles.js";
import type { ChargingProfile } from "../types.js";
import { type ChargingProfile16, DEFAULT_NOMINAL_VOLTAGE_V } from "./types.js";

/** The 2.0.1 form of a 1.6 profile, limits in W. */
export function toProfile201(
  p: ChargingProfile16,
  nominalVoltageV = DEFAULT_NOMINAL_VOLTAGE_V,
): ChargingProfile {
  const s = p.chargingSchedule;
  const k = s.chargingRateUnit === "A" ? nominalVoltageV : 1;
  return {
    id: p.chargingProfileId,
    stackLevel: p.stackLevel,
    chargingProfilePurpose:
      p.chargingProfilePurpose === "ChargePointMaxProfile"
        ? "ChargingStationMaxProfile"
        : p.chargingProfilePurpose,
    chargingProfileKind: p.chargingProfileKind,
    ...(p.recurrencyKind !== undefined && { recurrencyKind: p.recurrencyKind }),
    ...(p.validFrom !== undefined && { validFrom: p.validFrom }),
    ...(p.validTo !== undefined && { validTo: p.validTo }),
    ...(p.transactionId !== undefined && { transactionId: String(p.transactionId) }),
    chargingSchedule: [
      {
        id: p.chargingProfileId,
        chargingRateUnit: "W",
        ...(s.duration !== undefined && { duration: s.duration }),
        ...(s.startSchedule !== undefined && { startSchedule: s.startSchedule }),
        ...(s.minChargingRate !== undefined && { minChargingRate: s.minChargingRate * k }),
        chargingSchedulePeriod: s.chargingSchedulePeriod.map((x) => ({
          startPeriod: x.startPeriod,
          limit: x.limit * k,
        })),
      },
    ],
  };
}

/**
 * Why a SetChargingProfile.req cannot be installed (§5.16: ChargePointMaxProfile only on connectorId 0,
 * TxProfile only on a connector with a transaction, §3.13.1), or null. The text names the rule.
 */
export function profileProblem16(
  connectorId: number,
  p: ChargingProfile16,
  stationConnectorId: number,
  tx: TxContext | null,
  nominalVoltageV?: number,
): string | null {
  if (p.chargingProfilePurpose === "ChargePointMaxProfile" && connectorId !== 0)
    return "ChargePointMaxProfile: connectorId must be 0 (OCPP 1.6 §3.13.1)";
  const problem = profileProblem(connectorId, toProfile201(p, nominalVoltageV), stationConnectorId, tx);
  return problem === null
    ? null
    : problem.text.replace("evseId", "connectorId").replace("(K01)", "(OCPP 1.6 §5.16)");
}
