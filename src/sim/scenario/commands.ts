/**
 * The scenario command set: EVerest's car-simulator commands (everest-core
 * modules/EV/EvManager `register_all_commands`, modules/Simulation/JsCarSimulator `registerAllCmds`) with
 * their semantics carried over to our DC simulator, plus our own fault and observation commands. This file
 * is the table: names, argument counts and kinds, and what each does; the runner (runner.ts) executes them.
 */

/** Kind of one argument. */
export type ArgKind = "number" | "word";

/** One command of the table. */
export interface CommandSpec {
  name: string;
  /** Argument kinds, in order; the last `optional` of them may be left out. */
  args: readonly ArgKind[];
  optional?: number;
  /** Where it comes from. */
  origin: "everest" | "nacs";
  /** Blocks the script until its condition (a wait) or for a time (sleep). */
  blocking: boolean;
  /** Plugs the connector in first if it is not (EVerest: these commands set the CP to state B). */
  plugs?: boolean;
  /** Why it cannot run in a DC session, if so (basic-AC commands): an error at parse time. */
  notDc?: string;
  help: string;
}

const AC_ONLY = "basic-AC (IEC 61851 PWM) command, not available in a DC session — use --mode ac";

function c(name: string, args: readonly ArgKind[], spec: Omit<CommandSpec, "name" | "args">): CommandSpec {
  return { name, args, ...spec };
}

/** Every command, by name. */
export const SCENARIO_COMMANDS: Readonly<Record<string, CommandSpec>> = Object.freeze(
  Object.fromEntries(
    [
      // ---------------------------------------------------------------- EVerest car simulator
      c("sleep", ["number"], { origin: "everest", blocking: true, help: "wait N seconds (virtual time)" }),
      c("plugin", [], {
        origin: "everest",
        blocking: false,
        plugs: true,
        help: "plug the connector in (right after an unplug: once the EVSE and the EV have seen it out, at most 5 s)",
      }),
      c("wait_for_real_plugin", [], {
        origin: "everest",
        blocking: false,
        plugs: true,
        help: "same as plugin (the simulated plug is the real one)",
      }),
      c("unplug", [], {
        origin: "everest",
        blocking: true,
        help: "press the handle button, wait for the inlet to unlock (at most 10 s), pull the plug",
      }),
      c("iec_wait_pwr_ready", [], { origin: "everest", blocking: true, notDc: AC_ONLY, help: "AC only" }),
      c("draw_power_regulated", ["number", "word"], {
        origin: "everest",
        blocking: false,
        notDc: AC_ONLY,
        help: "AC only",
      }),
      c("draw_power_fixed", ["number", "word"], {
        origin: "everest",
        blocking: false,
        notDc: AC_ONLY,
        help: "AC only",
      }),
      c("iso_wait_pwm_is_running", [], {
        origin: "everest",
        blocking: true,
        plugs: true,
        help: "wait until the pilot shows PWM (4–97 %; DC: 5 %)",
      }),
      c("pause", [], { origin: "everest", blocking: false, help: "open S2 (CP state B)" }),
      c("error_e", [], {
        origin: "everest",
        blocking: false,
        help: "CP shorted to PE (state E): fault cp-short",
      }),
      c("diode_fail", [], {
        origin: "everest",
        blocking: false,
        help: "EV diode shorted: fault diode-short",
      }),
      c("rcd_current", ["number"], {
        origin: "everest",
        blocking: false,
        help: "leakage current to PE in mA; on DC this is an isolation resistance (max EV voltage / I) the IMD sees",
      }),
      c("iso_wait_slac_matched", [], {
        origin: "everest",
        blocking: true,
        plugs: true,
        help: "wait until SLAC has matched",
      }),
      c("iso_start_v2g_session", ["word", "word", "word", "word"], {
        origin: "everest",
        optional: 3,
        blocking: false,
        help: "start SDP + the V2G session; resumes a paused session. Arguments as EVerest's: MODE | MODE,PAYMENT | MODE,DEPARTURE_S,EAMOUNT_WH | MODE,PAYMENT,DEPARTURE_S,EAMOUNT_WH — MODE DC / DC_extended / DC_core or the ISO 15118-20 service DC_BPT (the EV asks for bidirectional DC; AC / AC_BPT: --mode ac), PAYMENT ExternalPayment or auto, DEPARTURE_S as iso_set_departure_time, EAMOUNT_WH is logged (the EV asks for what fills it to its target)",
      }),
      c("iso_wait_pwr_ready", [], {
        origin: "everest",
        blocking: true,
        help: "wait until PowerDelivery(Start) was answered (power ready)",
      }),
      c("iso_dc_power_on", [], {
        origin: "everest",
        blocking: true,
        help: "wait until pre-charge is done and the EV's DC contactors are closed",
      }),
      c("iso_draw_power_regulated", ["number", "word"], {
        origin: "everest",
        blocking: false,
        help: "AC current request A,phases; a DC EV follows its BMS, so only logged",
      }),
      c("iso_stop_charging", [], {
        origin: "everest",
        blocking: false,
        help: "the EV stops (SessionStop Terminate)",
      }),
      c("iso_wait_for_stop", ["number"], {
        origin: "everest",
        blocking: true,
        help: "wait until the charger stops the session, or N s, then the EV stops",
      }),
      c("iso_wait_v2g_session_stopped", [], {
        origin: "everest",
        blocking: true,
        help: "wait until the V2G session has ended (or paused)",
      }),
      c("iso_pause_charging", [], {
        origin: "everest",
        blocking: false,
        help: "the EV pauses (ISO 15118-2 SessionStop Pause; DIN: terminate)",
      }),
      c("iso_wait_for_resume", ["number"], {
        origin: "everest",
        optional: 1,
        blocking: true,
        help: "paused: wait N s, then resume and wait until charging again; without N it blocks (as EVerest)",
      }),
      c("iso_start_bcb_toggle", ["number"], {
        origin: "everest",
        blocking: true,
        help: "toggle S2 (CP B→C→B) N times (at most 3) to wake the charger",
      }),
      // ---------------------------------------------------------------- nacs
      c("iso_wait_pause", [], { origin: "nacs", blocking: true, help: "wait until the session is paused" }),
      c("set_soc", ["number"], {
        origin: "nacs",
        blocking: false,
        help: "set the battery state of charge (%)",
      }),
      c("set_target_soc", ["number"], {
        origin: "nacs",
        blocking: false,
        help: "set the SOC (%) at which the EV stops",
      }),
      c("set_charger_kw", ["number"], {
        origin: "nacs",
        blocking: false,
        help: "limit the charger to N kW in either direction (0: back to its rating), as an operator or backend would (OCPP SetChargingProfile); the SECC announces it (EVSEMaximumPowerLimit, ISO 15118-20 EVSEMaximumChargePower)",
      }),
      c("wait_soc", ["number"], { origin: "nacs", blocking: true, help: "wait until the SOC reaches N %" }),
      c("wait_phase", ["word"], {
        origin: "nacs",
        blocking: true,
        plugs: true,
        help: "wait until the session of the current plug-in is in a phase or a later one (connecting, cable-check, pre-charge, charging, stopping, ended); plugs in first if the connector is out",
      }),
      c("fault", ["word"], {
        origin: "nacs",
        blocking: false,
        help: "inject a named fault now (see --list-faults)",
      }),
      c("evse_stop", [], {
        origin: "nacs",
        blocking: false,
        help: "the operator stops the session (EVSENotification StopCharging)",
      }),
      c("evse_pause", [], {
        origin: "nacs",
        blocking: false,
        help: "the operator pauses the session: ISO 15118-20 EVSENotification Pause (the EV stops and ends with SessionStop Pause; resume with iso_wait_for_resume N or iso_start_v2g_session); DIN / ISO 15118-2 have no EVSE pause: StopCharging",
      }),
      c("iso_start_bpt_discharge", [], {
        origin: "nacs",
        blocking: false,
        help: "ISO 15118-20 only: the EV wants to give energy back (its dischargeRequested reading; needs the DC_BPT service)",
      }),
      c("iso_stop_bpt_discharge", [], {
        origin: "nacs",
        blocking: false,
        help: "ISO 15118-20 only: the EV no longer gives energy back (dischargeRequested off)",
      }),
      c("iso_set_departure_time", ["number"], {
        origin: "nacs",
        blocking: false,
        help: "the driver leaves in N s: DepartureTime (counting down) in ISO 15118-20 ScheduleExchangeReq and the Dynamic DC_ChargeLoopReq, ISO 15118-2 ChargeParameterDiscoveryReq; not DIN 70121",
      }),
      c("emergency_stop", [], {
        origin: "nacs",
        blocking: false,
        help: "press the EVSE's emergency-stop button",
      }),
      c("emergency_release", [], {
        origin: "nacs",
        blocking: false,
        help: "release the emergency-stop button and reset the EVSE (operator)",
      }),
    ].map((s) => [s.name, s]),
  ),
);

/** Every command name, sorted. */
export const SCENARIO_COMMAND_NAMES: readonly string[] = Object.freeze(Object.keys(SCENARIO_COMMANDS).sort());

/** One parsed command. */
export interface ScenarioCommand {
  name: string;
  args: (number | string)[];
  /** 1-based position in the script. */
  pos: number;
  /** The text it came from. */
  text: string;
}
