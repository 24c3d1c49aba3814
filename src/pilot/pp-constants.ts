/**
 * Proximity (PP) figures of digest §2 and §3.2 as named constants (source tag and status in each JSDoc).
 */

/** Connector R6 PP→PE, always present (latched). Digest §2.1, SEVSE/OPENEV; status C. */
export const PP_R_LATCHED_OHM = 150;
/** Connector R7, added in series when the latch button opens S3 (150 + 330 = 480 Ω). Digest §2.1, SEVSE; status C. */
export const PP_R_BUTTON_OHM = 330;
/** Vehicle PP pull-up resistor. Digest §2.1, PYPLC readme Q5; status C (value) / U (label). */
export const PP_R_PULLUP_OHM = 330;
/** Vehicle PP pull-up supply. Digest §2.1, PYPLC readme Q5; status C. */
export const PP_V_PULLUP = 5;
/** Vehicle PP pull-down resistor. Digest §2.1, PPFW/PYPLC ("perhaps 3 k"); status C/D (4.46 V check). */
export const PP_R_PULLDOWN_OHM = 2700;
/** PP resistor accuracy for AC use (fraction, ±3 %). Digest §3.2, J3400-OV; status U. */
export const PP_TOLERANCE_AC = 0.03;
/** PP resistor accuracy for DC use (fraction, ±1 %). Digest §3.2, J3400-OV; status U. */
export const PP_TOLERANCE_DC = 0.01;
/** Published nominal level, unplugged. Digest §2.1, PPFW ("Disconnected 4.46"); status C. */
export const PP_NOMINAL_UNPLUGGED_V = 4.46;
/** Published nominal level, button pressed / unlatched; also the J3400 "~2.77 V unlocked threshold". Digest §2.1/§3.2, PPFW; status C (J3400 clause U). */
export const PP_NOMINAL_UNLATCHED_V = 2.77;
/** Published nominal level, latched. Digest §2.1, PPFW ("Latched 1.53"); status C. */
export const PP_NOMINAL_LATCHED_V = 1.53;
/** Below this: latched; at or above: unlatched. Digest §2.1 "our proposal: latched < ~2.1 V"; status U. */
export const PP_THRESHOLD_LATCHED_MAX_V = 2.1;
/** At or above this: unplugged. Digest §2.1 "our proposal: unplugged > ~3.6 V"; status U. */
export const PP_THRESHOLD_UNLATCHED_MAX_V = 3.6;
/**
 * Below this the PP line is shorted or the connector resistance far too low (< ≈ 82 Ω total): fault.
 * Ours, not from a standard (latched level at ±3 % is ≥ 1.44 V); status U.
 */
export const PP_THRESHOLD_FAULT_BELOW_V = 1;
/**
 * Above this the pull-down is missing (open pull-down reads the 5 V supply): fault.
 * Ours, not from a standard (unplugged level at ±3 % is ≤ 4.49 V); status U.
 */
export const PP_THRESHOLD_FAULT_ABOVE_V = 4.75;

// ---------------------------------------------------------------- §2.2 IEC 62196 Type 2 cable coding

/** Type 2 13 A cable: nominal 1500 Ω. Digest §2.2, EV-BU, TF; status C. */
export const T2_R_13A_OHM = 1500;
/** Type 2 20 A cable: nominal 680 Ω. Digest §2.2, EV-BU, TF; status C. */
export const T2_R_20A_OHM = 680;
/** Type 2 32 A cable: nominal 220 Ω. Digest §2.2, EV-BU, TF; status C. */
export const T2_R_32A_OHM = 220;
/** Type 2 63 A (3-ph) / 70 A (1-ph) cable: nominal 100 Ω. Digest §2.2, EV-BU, TF; status C. */
export const T2_R_63A_OHM = 100;
/** EVerest bring-up accepted range, 13 A: 1100…2460 Ω. Digest §2.2, EV-BU; status C. */
export const T2_RANGE_13A_OHM = [1100, 2460] as const;
/** EVerest bring-up accepted range, 20 A: 400…936 Ω. Digest §2.2, EV-BU; status C. */
export const T2_RANGE_20A_OHM = [400, 936] as const;
/** EVerest bring-up accepted range, 32 A: 164…308 Ω. Digest §2.2, EV-BU; status C. */
export const T2_RANGE_32A_OHM = [164, 308] as const;
/** EVerest bring-up accepted range, 63 A: 80…140 Ω. Digest §2.2, EV-BU; status C. */
export const T2_RANGE_63A_OHM = [80, 140] as const;
/** Below this: no cable / error ("None"). Digest §2.2, EV-BU; status C. */
export const T2_ERROR_BELOW_OHM = 60;
/** Above this: no cable / error ("None"). Digest §2.2, EV-BU; status C. */
export const T2_ERROR_ABOVE_OHM = 4500;
/** 63 A coding means 70 A on a single-phase supply. Digest §2.2, EV-BU/TF; status C. */
export const T2_63A_SINGLE_PHASE_A = 70;
/** CCS2 DC EVSE plug PP–PE resistor (1.5 kΩ). Digest §2.2, PYPLC doc/EvseMode.md; status C. */
export const CCS2_DC_PP_R_OHM = 1500;
