/**
 * Abstract EVCC-side ports: battery / BMS, inlet voltage measurement, contactors and the CP
 * switch S2, as plain data. The EVCC machine reads the last {@link EvccReadings} the host reported with a
 * `port` event and emits {@link EvccPortCommand}s.
 */

/** DC_EVErrorCode of DIN 70121 / ISO 15118-2 (values as in EcoG-io/iso15118 datatypes). */
export type EvErrorCode =
  | "NO_ERROR"
  | "FAILED_RESSTemperatureInhibit"
  | "FAILED_EVShiftPosition"
  | "FAILED_ChargerConnectorLockFault"
  | "FAILED_EVRESSMalfunction"
  | "FAILED_ChargingCurrentdifferential"
  | "FAILED_ChargingVoltageOutOfRange"
  | "FAILED_ChargingSystemIncompatibility"
  | "NoData";

/** Everything the EVCC machine reads from the BMS and the inlet. */
export interface EvccReadings {
  /** State of charge (%), 0–100. */
  socPercent: number;
  /** Battery terminal voltage (V). */
  batteryVoltageV: number;
  /** Voltage measured at the inlet, charger side of the EV contactors (V). */
  inletVoltageV: number;
  maxVoltageV: number;
  maxCurrentA: number;
  maxPowerW: number;
  /** Usable capacity (Wh). */
  capacityWh: number;
  /** Current the BMS asks for now (taper), A. */
  targetCurrentA: number;
  /** Target voltage for the charge loop (V), usually the max voltage. */
  targetVoltageV: number;
  /** SOC at which the EV stops charging (FullSOC). */
  fullSocPercent: number;
  /** SOC below which a bidirectional EV gives no energy back (ISO 15118-20 MinimumSOC). */
  minSocPercent: number;
  /** Discharge limits of a bidirectional EV (positive magnitudes; ISO 15118-20 BPT). */
  maxDischargeCurrentA: number;
  maxDischargePowerW: number;
  /**
   * The EV wants to give energy back (ISO 15118-20 BPT): it selects the Discharge channel at PowerDelivery
   * and asks for a negative current (Scheduled) or offers its energy above `minSocPercent` (Dynamic).
   */
  dischargeRequested: boolean;
  /** SOC at which bulk charging is complete (BulkSOC). */
  bulkSocPercent: number;
  contactorsClosed: boolean;
  /**
   * Earliest time (ms) S2 may close (legacy "delayed S2 closure", J3400): the EVCC holds its first request
   * that needs state C (CableCheck in DC, PowerDelivery Start in AC) until then. 0 = no hold.
   */
  s2ReadyAtMs: number;
  ready: boolean;
  errorCode: EvErrorCode;
  /** AC: maximum current per phase the on-board charger takes (A), minimum (A), and its max voltage (V). */
  acMaxCurrentA: number;
  acMinCurrentA: number;
  acMaxVoltageV: number;
}

/** Commands the EVCC issues to its ports. */
export type EvccPortCommand =
  /** DC contactors of the EV (battery ↔ inlet). */
  | { port: "contactors"; op: "close" | "open" }
  /** CP switch S2: close = state C (ready for power), open = state B (pyPLC readme, [V2G2-848]). */
  | { port: "s2"; op: "close" | "open" }
  /** AC: on-board charger draws at most `currentA` (0 = stop; negative = feeds that current back, BPT). */
  | { port: "charger"; op: "set"; currentA: number };

/** Defaults: a 400 V-class 75 kWh battery at 30 % SOC, 200 A / 150 kW max, 32 A AC on-board charger. */
export function defaultEvccReadings(): EvccReadings {
  return {
    socPercent: 30,
    batteryVoltageV: 370,
    inletVoltageV: 0,
    maxVoltageV: 420,
    maxCurrentA: 200,
    maxPowerW: 150_000,
    capacityWh: 75_000,
    targetCurrentA: 200,
    targetVoltageV: 420,
    fullSocPercent: 100,
    bulkSocPercent: 80,
    minSocPercent: 20,
    maxDischargeCurrentA: 200,
    maxDischargePowerW: 150_000,
    dischargeRequested: false,
    contactorsClosed: false,
    s2ReadyAtMs: 0,
    ready: true,
    errorCode: "NO_ERROR",
    acMaxCurrentA: 32,
    acMinCurrentA: 6,
    acMaxVoltageV: 250,
  };
}
