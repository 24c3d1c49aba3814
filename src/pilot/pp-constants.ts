/**
 * Proximity (PP) figures (SAE J1772 network as kept by SAE J3400, IEC 62196 Type 2 coding) as named
 * constants, with the source in each JSDoc ("unconfirmed" where no public source confirms the figure).
 * Short source names: simple-evse = kortas87/simple-evse J1772buttonConnectionSchematic.md; OpenEV = the
 * OpenEV "Basics of SAE J1772" support article; pyPLC = uhi22/pyPLC; PP firmware = a public
 * proximity-module firmware header listing the J1772 PP nominal voltages; EVerest bring-up guide =
 * EVerest/everest-core docs/source/how-to-guides/bringup/basic.rst; Tinkerforge = Tinkerforge/evse-v2-bricklet
 * software/src/iec61851.c.
 */

/** Connector R6 PP→PE, always present (latched). SAE J1772 per simple-evse / OpenEV. */
export const PP_R_LATCHED_OHM = 150;
/** Connector R7, added in series when the latch button opens S3 (150 + 330 = 480 Ω). SAE J1772 per simple-evse. */
export const PP_R_BUTTON_OHM = 330;
/** Vehicle PP pull-up resistor. pyPLC readme Q5 (value); the J1772 R4/R5 label is unconfirmed. */
export const PP_R_PULLUP_OHM = 330;
/** Vehicle PP pull-up supply. pyPLC readme Q5. */
export const PP_V_PULLUP = 5;
/** Vehicle PP pull-down resistor. PP firmware / pyPLC ("perhaps 3 k"); derived check: gives the 4.46 V level. */
export const PP_R_PULLDOWN_OHM = 2700;
/** PP resistor accuracy for AC use (fraction, ±3 %). SAE J3400 per an SAE J3400-2023 overview page; unconfirmed. */
export const PP_TOLERANCE_AC = 0.03;
/** PP resistor accuracy for DC use (fraction, ±1 %). SAE J3400 per an SAE J3400-2023 overview page; unconfirmed. */
export const PP_TOLERANCE_DC = 0.01;
/** Published nominal level, unplugged. PP firmware ("Disconnected 4.46"). */
export const PP_NOMINAL_UNPLUGGED_V = 4.46;
/**
 * Published nominal level, button pressed / unlatched; also the J3400 "~2.77 V unlocked threshold".
 * PP firmware (J3400 clause unconfirmed).
 */
export const PP_NOMINAL_UNLATCHED_V = 2.77;
/** Published nominal level, latched. PP firmware ("Latched 1.53"). */
export const PP_NOMINAL_LATCHED_V = 1.53;
/** Below this: latched; at or above: unlatched. Our proposal (J1772 publishes ranges, not found); unconfirmed. */
export const PP_THRESHOLD_LATCHED_MAX_V = 2.1;
/** At or above this: unplugged. Our proposal (J1772 publishes ranges, not found); unconfirmed. */
export const PP_THRESHOLD_UNLATCHED_MAX_V = 3.6;
/**
 * Below this the PP line is shorted or the connector resistance far too low (< ≈ 82 Ω total): fault.
 * Ours, not from a standard (latched level at ±3 % is ≥ 1.44 V); unconfirmed.
 */
export const PP_THRESHOLD_FAULT_BELOW_V = 1;
/**
 * Above this the pull-down is missing (open pull-down reads the 5 V supply): fault.
 * Ours, not from a standard (unplugged level at ±3 % is ≤ 4.49 V); unconfirmed.
 */
export const PP_THRESHOLD_FAULT_ABOVE_V = 4.75;

// ---------------------------------------------------------------- IEC 62196 Type 2 cable coding

/** Type 2 13 A cable: nominal 1500 Ω. EVerest bring-up guide, Tinkerforge. */
export const T2_R_13A_OHM = 1500;
/** Type 2 20 A cable: nominal 680 Ω. EVerest bring-up guide, Tinkerforge. */
export const T2_R_20A_OHM = 680;
/** Type 2 32 A cable: nominal 220 Ω. EVerest bring-up guide, Tinkerforge. */
export const T2_R_32A_OHM = 220;
/** Type 2 63 A (3-ph) / 70 A (1-ph) cable: nominal 100 Ω. EVerest bring-up guide, Tinkerforge. */
export const T2_R_63A_OHM = 100;
/** EVerest bring-up accepted range, 13 A: 1100…2460 Ω. EVerest bring-up guide. */
export const T2_RANGE_13A_OHM = [1100, 2460] as const;
/** EVerest bring-up accepted range, 20 A: 400…936 Ω. EVerest bring-up guide. */
export const T2_RANGE_20A_OHM = [400, 936] as const;
/** EVerest bring-up accepted range, 32 A: 164…308 Ω. EVerest bring-up guide. */
export const T2_RANGE_32A_OHM = [164, 308] as const;
/** EVerest bring-up accepted range, 63 A: 80…140 Ω. EVerest bring-up guide. */
export const T2_RANGE_63A_OHM = [80, 140] as const;
/** Below this: no cable / error ("None"). EVerest bring-up guide. */
export const T2_ERROR_BELOW_OHM = 60;
/** Above this: no cable / error ("None"). EVerest bring-up guide. */
export const T2_ERROR_ABOVE_OHM = 4500;
/** 63 A coding means 70 A on a single-phase supply. EVerest bring-up guide, Tinkerforge. */
export const T2_63A_SINGLE_PHASE_A = 70;
/** CCS2 DC EVSE plug PP–PE resistor (1.5 kΩ). pyPLC doc/EvseMode.md. */
export const CCS2_DC_PP_R_OHM = 1500;
