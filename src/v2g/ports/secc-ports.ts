/**
 * Abstract SECC-side ports: power stage, isolation monitor, meter, contactors and the EIM
 * payment/authorisation source, as plain data. The session machine never calls a port: it emits
 * {@link SeccPortCommand}s and reads the last {@link SeccReadings} the host reported with a `port` event.
 */

/** IsolationLevel as reported in DC_EVSEStatus (EcoG-io/iso15118 datatypes; No_IMD is ISO-2 only). */
export type IsolationLevel = "Invalid" | "Valid" | "Warning" | "Fault" | "No_IMD";

/** A fault of the EVSE hardware, mapped to DC_EVSEStatusCode (DIN 70121 / ISO 15118-2). */
export type SeccFault = "emergency-shutdown" | "malfunction" | "utility-interrupt" | "shutdown";

/** DC output limits of the power stage (DIN 70121 / ISO 15118-2 DC_EVSEChargeParameter). */
export interface DcLimits {
  maxVoltageV: number;
  maxCurrentA: number;
  maxPowerW: number;
  minVoltageV: number;
  minCurrentA: number;
  /** Discharge limits of a bidirectional stage (ISO 15118-20 BPT; positive magnitudes). 0 = cannot discharge. */
  maxDischargeCurrentA: number;
  maxDischargePowerW: number;
  /** EVSECurrentRegulationTolerance (A). */
  regulationToleranceA: number;
  /** EVSEPeakCurrentRipple (A). */
  peakCurrentRippleA: number;
}

/** AC supply figures (ISO 15118-2 AC_EVSEChargeParameter). */
export interface AcSupply {
  nominalVoltageV: number;
  maxCurrentA: number;
  /** Most power the supply takes back from a bidirectional EV (W, positive; ISO 15118-20 AC_BPT). 0 = none. */
  maxDischargePowerW: number;
  /** Residual current device tripped (AC_EVSEStatus.RCD). */
  rcdTripped: boolean;
}

/** Isolation monitor reading. */
export interface IsolationReading {
  /** idle: no test requested; running: test in progress; done: `level` is the result. */
  state: "idle" | "running" | "done";
  level: IsolationLevel;
  resistanceOhm?: number;
}

/** One period of a backend power schedule: from `startS` after the schedule's start, at most `limitW`. */
export interface PowerSchedulePeriod {
  startS: number;
  /** null: nothing limits this period but the charger's rating. */
  limitW: number | null;
}

/**
 * A backend power schedule (e.g. the OCPP composite schedule of the next 24 h, OCPP 2.0.1 K08 / K15): its
 * periods, starting at `atMs` on the SECC's clock.
 */
export interface PowerSchedule {
  atMs: number;
  periods: readonly PowerSchedulePeriod[];
}

/** Everything the SECC machine reads from its ports. */
export interface SeccReadings {
  presentVoltageV: number;
  presentCurrentA: number;
  isolation: IsolationReading;
  /**
   * Meter reading (Wh): the energy that went into the EV (ChargedEnergyReadingWh). With a bidirectional EV,
   * `dischargedWh` is the energy that came back out (BPT_DischargedEnergyReadingWh); both only grow.
   */
  energyWh: number;
  dischargedWh: number;
  contactorsClosed: boolean;
  fault: SeccFault | null;
  dc: DcLimits;
  ac: AcSupply;
  /** EIM authorisation (RFID, app, free vend): Ongoing while pending. */
  authorization: "pending" | "accepted" | "rejected";
  /** False while the backend still computes the SAScheduleList (ChargeParameterDiscovery Ongoing). */
  scheduleReady: boolean;
  /**
   * The backend's power schedule for the SAScheduleList (ISO 15118-2) / PowerSchedule (ISO 15118-20
   * Scheduled); absent or null: one entry at the charger's maximum for a day.
   */
  powerSchedule?: PowerSchedule | null;
}

/** Commands the SECC machine issues to its ports. */
export type SeccPortCommand =
  /**
   * Regulate the DC output to `voltageV` with current limit `currentA`. A negative `currentA` is a discharge
   * set point (ISO 15118-20 BPT: the stage sinks that current from the EV; `voltageV` is then its lowest voltage).
   */
  | { port: "power-stage"; op: "set"; voltageV: number; currentA: number }
  /** Ramp the output down to 0 A and discharge. */
  | { port: "power-stage"; op: "off" }
  | { port: "isolation"; op: "start"; voltageV: number }
  | { port: "isolation"; op: "stop" }
  | { port: "contactors"; op: "close" | "open" };

/** Defaults: a 1000 V / 200 A / 150 kW DC stage, 240 V / 48 A AC, idle monitor, EIM accepted. */
export function defaultSeccReadings(): SeccReadings {
  return {
    presentVoltageV: 0,
    presentCurrentA: 0,
    isolation: { state: "idle", level: "Invalid" },
    energyWh: 0,
    dischargedWh: 0,
    contactorsClosed: false,
    fault: null,
    dc: {
      maxVoltageV: 1000,
      maxCurrentA: 200,
      maxPowerW: 150_000,
      minVoltageV: 150,
      minCurrentA: 0,
      maxDischargeCurrentA: 200,
      maxDischargePowerW: 150_000,
      regulationToleranceA: 5,
      peakCurrentRippleA: 5,
    },
    ac: { nominalVoltageV: 240, maxCurrentA: 48, maxDischargePowerW: 11_000, rcdTripped: false },
    authorization: "accepted",
    scheduleReady: true,
  };
}
