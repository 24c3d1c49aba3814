/**
 * Timing and noise figures of the simulator (src/sim). All are our modelling choices (status D), chosen
 * inside the IEC 61851-1 Table A.6 limits; the normative limits themselves live in src/pilot/constants.ts.
 */

/** EVSE relay: command → contacts closed (ms). Design choice (D), well inside the 3 s close limit. */
export const SIM_RELAY_CLOSE_MS = 30;
/** EVSE relay: command → contacts open (ms). Design choice (D), ≤ EVerest's 50 ms (T_RELAY_OPEN_AFTER_CMD_MS). */
export const SIM_RELAY_OPEN_MS = 20;
/** Fine CP sampling continues this long after a circuit change (ms). Design choice (D). */
export const SIM_FINE_WINDOW_MS = 500;
/** CP sampling period while the circuit is unchanged (ms). Design choice (D). */
export const SIM_COARSE_SAMPLE_MS = 5000;
/** Battery/BMS and grid-noise update period (ms). Design choice (D). */
export const SIM_PHYSICS_STEP_MS = 1000;
/** Time the EV needs to measure a new pilot waveform (a few 1 kHz periods, ms). Design choice (D). */
export const SIM_EV_PWM_MEASURE_MS = 5;
/** EV PP sampling delay (ms). Design choice (D). */
export const SIM_EV_PP_SAMPLE_MS = 10;
/** EV AC-presence detection delay (about one 60 Hz cycle, ms). Design choice (D). */
export const SIM_EV_AC_DETECT_MS = 20;
/** Grid voltage noise (± fraction, uniform, redrawn every {@link SIM_GRID_NOISE_PERIOD_MS}). Design choice (D). */
export const SIM_GRID_NOISE = 0.005;
/** Period of the grid voltage wander (ms). Design choice (D). */
export const SIM_GRID_NOISE_PERIOD_MS = 10_000;
/** Current changes smaller than this (A) are not recorded in the trace, except to or from zero. */
export const SIM_TRACE_CURRENT_STEP_A = 0.5;
/** Default bound on the number of trace entries kept. */
export const SIM_TRACE_LIMIT = 20_000;
