/**
 * Timing figures of the DC simulator (src/sim/dc). All are modelling choices (status D) inside the
 * normative limits, which live with the controllers (src/evse/safety, src/pilot, src/v2g).
 */

/** One-way latency of the in-memory V2G byte pipe and the SDP "UDP" stand-in (ms). Design choice (D). */
export const SIM_DC_NET_LATENCY_MS = 2;
/** Controller → power-module command latency (a CAN frame, ms). Design choice (D), inside the 10 ms off budget. */
export const SIM_MODULE_CMD_LATENCY_MS = 1;
/** DC contactor: command → contacts closed (ms). Design choice (D). */
export const SIM_DC_CONTACTOR_CLOSE_MS = 30;
/** DC contactor: command → contacts open (ms). Design choice (D). */
export const SIM_DC_CONTACTOR_OPEN_MS = 20;
/** Inlet lock actuator travel time (ms). Design choice (D). */
export const SIM_LOCK_ACTUATE_MS = 300;
/** Lock feedback switch sampling delay (ms). Design choice (D). */
export const SIM_LOCK_FEEDBACK_MS = 5;
/** PLC link-status polling: a lost link is reported this long after it drops (ms). Design choice (D). */
export const SIM_LINK_STATUS_POLL_MS = 100;
/** Measurement period while something is moving fast (trip, runaway, shutdown) (ms). Design choice (D). */
export const SIM_FAST_SAMPLE_MS = 1;
/** Measurement period while a ramp or discharge is under way (ms). Design choice (D). */
export const SIM_SLOW_SAMPLE_MS = 10;
/** A `sample` record event (V, I, P, SOC, CP) every this many ms of virtual time. */
export const SIM_RECORD_SAMPLE_MS = 1_000;
/**
 * Event-resolution `sample` records between the 1 s ones (design choice, D): one whenever a value moved at
 * least this much since the last sample — voltage (V), current (A), power (W), SOC (%), an EV target
 * (V / A) — or the CP state changed, at most one per {@link SIM_RECORD_MIN_SPACING_MS} and at most
 * {@link SIM_RECORD_CHANGE_CAP_PER_S} per second of virtual time, so a trip's spike is in the record.
 */
export const SIM_RECORD_CHANGE_STEP = Object.freeze({ v: 2, i: 2, p: 1_000, soc: 0.5 });
/** Least spacing of two change samples (ms of virtual time). */
export const SIM_RECORD_MIN_SPACING_MS = 1;
/** Most change samples in one second of virtual time. */
export const SIM_RECORD_CHANGE_CAP_PER_S = 500;
/** Current changes smaller than this (A) are not put in the timeline, except to or from zero. */
export const SIM_DC_TRACE_CURRENT_STEP_A = 25;
/**
 * `--time-scale`: the last this many SOC points (%) before the EV's target charge at the real rate, so the
 * stop at the target keeps an unscaled run's resolution (energy within 0.5 % of it). Design choice (D).
 */
export const SIM_TIME_SCALE_REAL_RATE_SOC = 0.25;
/** PLC coupling between EV and EVSE on the in-memory medium (dB). Design choice (D), inside 40 dB. */
export const SIM_PLC_ATTENUATION_DB = 20;
