/**
 * OCPP 1.6J charge-point shapes (field names as in OCPP 1.6 edition 2 §6 Messages, §7 Types, and the
 * official OCPP 1.6 JSON schemas). The step machine takes the same events and gives the same effects as
 * the OCPP 2.0.1 one (src/ocpp/types.ts); the configuration is the same plus the nominal voltage.
 */
import type { StationConfig } from "../types.js";

/** ChargePointStatus (OCPP 1.6 §7.7), the statuses this charge point reports. */
export type ChargePointStatus16 =
  | "Available"
  | "Preparing"
  | "Charging"
  | "SuspendedEV"
  | "SuspendedEVSE"
  | "Finishing"
  | "Faulted";

/** ChargePointErrorCode (OCPP 1.6 §7.6), the ones this charge point reports. */
export type ErrorCode16 =
  | "NoError"
  | "EVCommunicationError"
  | "GroundFailure"
  | "OverCurrentFailure"
  | "OverVoltage"
  | "PowerSwitchFailure"
  | "InternalError"
  | "OtherError";

/** ChargingProfile (OCPP 1.6 §7.8): one schedule, an integer transactionId. */
export interface ChargingProfile16 {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: "ChargePointMaxProfile" | "TxDefaultProfile" | "TxProfile";
  chargingProfileKind: "Absolute" | "Recurring" | "Relative";
  recurrencyKind?: "Daily" | "Weekly";
  validFrom?: string;
  validTo?: string;
  chargingSchedule: {
    duration?: number;
    startSchedule?: string;
    chargingRateUnit: "A" | "W";
    chargingSchedulePeriod: { startPeriod: number; limit: number; numberPhases?: number }[];
    minChargingRate?: number;
  };
}

/**
 * The charge point's configuration: the 2.0.1 one (vendor, model, serial, connector, meter and heartbeat
 * intervals) and the nominal voltage that turns a schedule in A into W.
 */
export interface StationConfig16 extends StationConfig {
  /**
   * Volts by which a chargingRateUnit "A" limit becomes W (W = A × this; numberPhases not counted: the
   * output of this DC charger is one current). Default {@link DEFAULT_NOMINAL_VOLTAGE_V}.
   */
  nominalVoltageV?: number;
}

/** The nominal DC output voltage used for A schedules when none is configured (V). Design choice. */
export const DEFAULT_NOMINAL_VOLTAGE_V = 400;
