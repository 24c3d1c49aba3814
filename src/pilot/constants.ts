/**
 * Every control-pilot figure (circuit, detection bands, duty cycle ↔ current, timing) as one named constant,
 * with its source; "derived" and "unconfirmed" mark figures no public source confirms as such.
 * Short source names used below:
 * - EVerest bring-up guide: EVerest/everest-core docs/source/how-to-guides/bringup/basic.rst (and dc.rst)
 * - EVerest IECStateMachine / Charger: EVerest/everest-core modules/EVSE/EvseManager/IECStateMachine.cpp,
 *   Charger.cpp; EVerest EvseV2G: modules/EVSE/EvseV2G; EVerest libiso15118: d2/state/power_delivery.cpp
 * - chargebyte CPUtils: chargebyte/everest-chargebyte CPUtils.cpp voltage_to_state() ("mostly based on
 *   IEC 61851-1 Table A.4")
 * - florianuhlemann/J1772: J1772/J1772.h (SAE J1772 voltages including tolerances)
 * - OpenEVSE: lincomatic/open_evse J1772Pilot.cpp; Tinkerforge: Tinkerforge/evse-v2-bricklet iec61851.c
 * - J1772-2017 firmware: a public firmware control_pilot.c quoting page 17 of SAE J1772 (Oct 2017)
 * - OpenEV: the OpenEV "Basics of SAE J1772" support article; pyPLC: uhi22/pyPLC
 * - Electronic Design: the "EV-Pluribus Unum … NACS/SAE J3400 (Part 2)" article (2024)
 * - pyslac: EcoG-io/pyslac enums.py; EcoG-io/iso15118 timeouts.py: iso15118/shared/messages/din_spec
 * - ISO15118_3_TestEnv: nvdungx/ISO15118_3_TestEnv src/management/timer_cfg.cpp
 * - SmartEVSE thread: a dingo35/SmartEVSE-3.5 GitHub issue quoting SAE J1772 / IEC 61851-1 text
 * Units: volts, ohms, amperes, percent, milliseconds, hertz, microseconds (suffix says which).
 */

// ---------------------------------------------------------------- circuit (nominal values)

/** EVSE CP source, positive level. EVerest bring-up guide ("+12 V +/- 5 %"), florianuhlemann/J1772. */
export const CP_SOURCE_HIGH_V = 12;
/** EVSE CP source, negative level. EVerest bring-up guide, florianuhlemann/J1772. */
export const CP_SOURCE_LOW_V = -12;
/**
 * EVSE source tolerance (fraction, ±5 %, open-circuit). EVerest bring-up guide, florianuhlemann/J1772
 * (11.40–12.60 V).
 */
export const CP_SOURCE_TOLERANCE = 0.05;
/** R1, the EVSE series ("equivalent source") resistor. EVerest bring-up guide. */
export const CP_R1_OHM = 1000;
/** R1 tolerance (fraction, ±3 %, 970–1030 Ω). EVerest bring-up guide. */
export const CP_R1_TOLERANCE = 0.03;
/** EV resistor always connected (J1772 R2 / IEC R3). EVerest bring-up guide, nsayer/ev_sim. */
export const EV_R_FIXED_OHM = 2740;
/** EV resistor switched by S2 for state C (J1772 R3 / IEC R2). EVerest bring-up guide. */
export const EV_R_S2_OHM = 1300;
/**
 * EV switched resistor for state D (ventilation). Combined with {@link EV_R_FIXED_OHM} ≈ 246 Ω.
 * 270 Ω unconfirmed (from memory); combined 240–246 Ω per nsayer/ev_sim and sevelm/InnoChargeLC.
 */
export const EV_R_VENT_OHM = 270;
/** EV resistor tolerance (fraction, ±3 %). Unconfirmed (the derived corners reproduce the J1772 ranges). */
export const EV_R_TOLERANCE = 0.03;
/** EV diode forward drop, nominal. Unconfirmed (value from memory). */
export const EV_DIODE_DROP_V = 0.7;
/** EV diode forward drop, lowest assumed. Unconfirmed. */
export const EV_DIODE_DROP_MIN_V = 0.55;
/** EV diode forward drop, highest assumed. Unconfirmed. */
export const EV_DIODE_DROP_MAX_V = 0.85;
/** EV-applied resistance that still reads as B, lower end. EVerest bring-up guide (table). */
export const EV_R_B_RANGE_MIN_OHM = 1870;
/** EV-applied resistance that still reads as B, upper end. EVerest bring-up guide (table). */
export const EV_R_B_RANGE_MAX_OHM = 4610;
/** S2 resistor range accepted for state C, lower end. EVerest bring-up guide (table). */
export const EV_R_S2_RANGE_MIN_OHM = 909;
/** S2 resistor range accepted for state C, upper end. EVerest bring-up guide (table). */
export const EV_R_S2_RANGE_MAX_OHM = 1723;

// ---------------------------------------------------------------- PWM waveform

/** CP PWM frequency, nominal. EVerest bring-up guide. */
export const CP_PWM_FREQUENCY_HZ = 1000;
/** CP PWM frequency, lowest allowed (−2 %). EVerest bring-up guide. */
export const CP_PWM_FREQUENCY_MIN_HZ = 980;
/** CP PWM frequency, highest allowed (+2 %). EVerest bring-up guide. */
export const CP_PWM_FREQUENCY_MAX_HZ = 1020;
/** High-pulse length at 5 % duty. EVerest bring-up guide. */
export const CP_PULSE_5PCT_US = 50;
/** Rise time with open circuit (typical). EVerest bring-up guide. */
export const CP_RISE_OPEN_US = 2;
/** Rise time in state B (10 %→90 %), maximum. EVerest bring-up guide. */
export const CP_RISE_B_MAX_US = 10;
/** Fall time in state B, maximum. EVerest bring-up guide. */
export const CP_FALL_B_MAX_US = 13;
/** Rise time in state C, maximum. EVerest bring-up guide. */
export const CP_RISE_C_MAX_US = 7;
/** Fall time in state C, maximum. EVerest bring-up guide. */
export const CP_FALL_C_MAX_US = 13;
/** Pulse-width accuracy (±). IEC 61851-1 Table A.2 believed; unconfirmed (from memory). */
export const CP_PULSE_WIDTH_ACCURACY_US = 5;
/** ADC blanking after an edge: never sample the first 10 µs. EVerest bring-up guide. */
export const CP_ADC_BLANKING_US = 10;

// -------------------------------------------- detection bands (IEC 61851-1 Table A.4 via chargebyte CPUtils)

/** Above this the high plateau is a pilot fault. chargebyte CPUtils (IEC 61851-1 Table A.4). */
export const CP_BAND_PILOT_FAULT_ABOVE_V = 13;
/** A: 11 V ≤ V ≤ 13 V. IEC 61851-1 Table A.4 via chargebyte CPUtils. */
export const CP_BAND_A_MIN_V = 11;
/** 10–11 V: hysteresis band, A if previously A, else B. chargebyte CPUtils. */
export const CP_BAND_A_HYST_MIN_V = 10;
/** B: 8 V ≤ V < 10 V. IEC 61851-1 Table A.4 via chargebyte CPUtils. */
export const CP_BAND_B_MIN_V = 8;
/** 7–8 V: hysteresis band, B if previously A/B, else C. chargebyte CPUtils. */
export const CP_BAND_B_HYST_MIN_V = 7;
/** C: 5 V ≤ V < 7 V. IEC 61851-1 Table A.4 via chargebyte CPUtils. */
export const CP_BAND_C_MIN_V = 5;
/** 4–5 V: hysteresis band, C if previously A/B/C, else D. chargebyte CPUtils. */
export const CP_BAND_C_HYST_MIN_V = 4;
/** D: 2 V ≤ V < 4 V. IEC 61851-1 Table A.4 via chargebyte CPUtils. */
export const CP_BAND_D_MIN_V = 2;
/** E: −1 V ≤ V < 2 V. IEC 61851-1 Table A.4 via chargebyte CPUtils. */
export const CP_BAND_E_MIN_V = -1;
/** −2…−1 V: tolerated as E if previously A–E, else pilot fault. chargebyte CPUtils ("not standard"). */
export const CP_BAND_E_HYST_MIN_V = -2;
/** −10…−2 V: pilot fault. chargebyte CPUtils. */
export const CP_BAND_PILOT_FAULT_MIN_V = -10;
/** −11…−10 V: tolerated as F if previously F, else pilot fault. chargebyte CPUtils. */
export const CP_BAND_F_HYST_MAX_V = -11;
/** F: −13 V ≤ V < −11 V; below −13 V pilot fault. IEC 61851-1 Table A.4 via chargebyte CPUtils. */
export const CP_BAND_F_MIN_V = -13;

/** Diode/CP-short checks: the high plateau threshold (2 V). chargebyte CPUtils. */
export const CP_CHECK_HIGH_THRESHOLD_V = 2;
/** Diode/CP-short checks: |V+ + V−| ≤ 1.2 V means a symmetric (diode-less) waveform. chargebyte CPUtils. */
export const CP_CHECK_SYMMETRY_MAX_V = 1.2;
/** CP short at 0 % duty: V− above −10 V. chargebyte CPUtils. */
export const CP_CHECK_F_SHORT_ABOVE_V = -10;
/** Debounce: a new state must be measured this many times in a row before it is reported. chargebyte CPUtils. */
export const CP_DEBOUNCE_SAMPLES = 2;
/** Total state filtering must not exceed 50 ms. EVerest bring-up guide. */
export const CP_FILTER_MAX_MS = 50;
/**
 * Our sampling period for the CP plateaus. Chosen (not from a standard) so that the debounce
 * (2 samples, worst case just under 2 periods after the change) stays ≤ {@link CP_FILTER_MAX_MS}; derived.
 */
export const CP_SAMPLE_INTERVAL_MS = 10;

/** IEC short-circuit test: resistor added CP–PE. IEC 61851-1 Table A.6 seq. 12 (SmartEVSE thread). */
export const CP_SHORT_TEST_R_OHM = 80;
/** IEC short-circuit test: applied after ≥ 5 s in C/D. IEC 61851-1 Table A.6 seq. 12 (SmartEVSE thread). */
export const CP_SHORT_TEST_AFTER_MS = 5000;
/** IEC short-circuit test: EVSE opens within 3 s (forum reading in the SmartEVSE thread); unconfirmed. */
export const CP_SHORT_TEST_OPEN_MAX_MS = 3000;

/** Tinkerforge resistance classification: > 10 kΩ ⇒ A. Tinkerforge iec61851.c. */
export const TF_R_A_ABOVE_OHM = 10_000;
/** Tinkerforge: > 1790 Ω ⇒ B. Tinkerforge iec61851.c. */
export const TF_R_B_ABOVE_OHM = 1790;
/** Tinkerforge: > 300 Ω ⇒ C. Tinkerforge iec61851.c. */
export const TF_R_C_ABOVE_OHM = 300;
/** Tinkerforge: > 150 Ω ⇒ D, else E/F. Tinkerforge iec61851.c. */
export const TF_R_D_ABOVE_OHM = 150;

// ------------------------------------------------------------ duty cycle ↔ current (SAE J1772 / IEC 61851-1)

/** Lowest current a PWM can offer. OpenEVSE/Tinkerforge/EVerest Charger. */
export const PWM_MIN_CURRENT_A = 6;
/** Upper end of the linear range d = I / 0.6. OpenEVSE/Tinkerforge/EVerest Charger. */
export const PWM_LOW_RANGE_MAX_A = 51;
/** Lower end of the range d = I / 2.5 + 64 (85 % ⇒ 52.5 A). OpenEVSE/EVerest Charger; derived. */
export const PWM_HIGH_RANGE_MIN_A = 52.5;
/** Highest current a PWM can offer. OpenEVSE/Tinkerforge/EVerest Charger. */
export const PWM_MAX_CURRENT_A = 80;
/** Amperes per duty percent in the low range (I = 0.6·d). OpenEVSE. */
export const PWM_LOW_A_PER_PCT = 0.6;
/** Amperes per duty percent in the high range (I = 2.5·(d − 64)). OpenEVSE. */
export const PWM_HIGH_A_PER_PCT = 2.5;
/** Duty offset of the high range (I = 2.5·(d − 64)). OpenEVSE. */
export const PWM_HIGH_OFFSET_PCT = 64;
/** Duty at the boundary of both formulas (85 %). OpenEVSE/Tinkerforge/EVerest Charger. */
export const PWM_RANGE_SPLIT_PCT = 85;
/** Duty at {@link PWM_MIN_CURRENT_A} (10 %). OpenEVSE/Tinkerforge/EVerest Charger. */
export const PWM_MIN_CURRENT_PCT = 10;
/** Duty at {@link PWM_MAX_CURRENT_A} (96 %). OpenEVSE/Tinkerforge/EVerest Charger. */
export const PWM_MAX_CURRENT_PCT = 96;
/** 5 % duty: digital communication (HLC) required. pyPLC/Electronic Design/EVerest bring-up guide. */
export const DUTY_DIGITAL_COMM = 5;
/** Steady +12 V (state X1, no PWM, no power offered). EVerest IECStateMachine. */
export const DUTY_X1 = 100;
/** Steady −12 V (state F, EVSE unavailable). chargebyte CPUtils. */
export const DUTY_F = 0;
/** EV side: below 3 % no charging. J1772-2017 firmware/OpenEV. */
export const DUTY_DIGITAL_MIN_PCT = 3;
/** EV side: up to 7 % digital communication required. OpenEV/pyPLC. */
export const DUTY_DIGITAL_MAX_PCT = 7;
/** EV side, IEC profile: 8 % ≤ d < 10 % ⇒ 6 A. IEC 61851-1 Table A.8 believed; unconfirmed — disputed edge. */
export const DUTY_IEC_MIN_6A_PCT = 8;
/** EV side, J1772 profile: 9.5 % ≤ d < 10 % ⇒ 6 A (below: no charging). J1772-2017 firmware — disputed edge. */
export const DUTY_J1772_MIN_6A_PCT = 9.5;
/** EV side, J1772 profile: 96 % < d ≤ 96.5 % ⇒ 80 A. J1772-2017 firmware — disputed edge. */
export const DUTY_J1772_MAX_80A_PCT = 96.5;
/** EV side, IEC profile: 96 % < d ≤ 97 % ⇒ 80 A. IEC 61851-1 believed; unconfirmed — disputed edge. */
export const DUTY_IEC_MAX_80A_PCT = 97;
/** EVerest treats I < 5.9 A as invalid (100 %). EVerest Charger (not used by {@link currentToDuty}). */
export const EVEREST_PWM_INVALID_BELOW_A = 5.9;
/** EVerest treats I > 80.1 A as invalid; 80…80.1 A ⇒ 97 %. EVerest Charger (not used). */
export const EVEREST_PWM_INVALID_ABOVE_A = 80.1;
/** Tinkerforge's lowest generated duty ("standard defines 8 % as minimum"). Tinkerforge iec61851.c. */
export const TF_DUTY_MIN_PCT = 8;

// ------------------------------------------------- timing (IEC 61851-1 Table A.6, ISO 15118-3/-2, DIN 70121)

/**
 * IEC 61851-1 Table A.6 seq 4: EV ready (B→C) with PWM ⇒ EVSE closes its contactor within 3 s.
 * EVerest IECStateMachine.
 */
export const T_CONTACTOR_CLOSE_MAX_MS = 3000;
/**
 * IEC 61851-1 Table A.6 seq 8.1 / 2.x: C→B or unplug ⇒ contactor open ≤ 100 ms. EVerest IECStateMachine,
 * EVerest bring-up guide.
 */
export const T_CONTACTOR_OPEN_MAX_MS = 100;
/** EVerest recommendation: detect C→B within 50 ms. EVerest bring-up guide. */
export const T_DETECT_RECOMMENDED_MS = 50;
/** EVerest recommendation: relay open ≤ 50 ms after the command. EVerest bring-up guide. */
export const T_RELAY_OPEN_AFTER_CMD_MS = 50;
/**
 * IEC 61851-1 Table A.6 seq 10.2: EVSE stops PWM while EV stays in C ⇒ open under load after (at least) 6 s.
 * EVerest IECStateMachine.
 */
export const T_POWER_OFF_UNDER_LOAD_MS = 6000;
/** State F: unlock the connector after 5 s (EVerest policy). EVerest IECStateMachine. */
export const T_UNLOCK_IN_F_MS = 5000;
/** EV follows a duty change within 5 s (IEC 61851-1 seq. 6 / J1772, from memory); unconfirmed. */
export const T_EV_FOLLOW_DUTY_MS = 5000;
/** EVerest never updates the PWM faster than every 5 s (IEC_PWM_MAX_UPDATE_INTERVAL). EVerest Charger. */
export const T_PWM_MIN_UPDATE_INTERVAL_MS = 5000;
/** Short state-C pulses (BCB toggle) ≈ 200 ms long must still be reported. EVerest bring-up guide. */
export const T_SHORT_C_PULSE_MS = 200;
/** T_step_EF: E or F held at least 4 s (ISO 15118-3 [V2G3-M06-05]). pyslac, EVerest Charger (T_STEP_EF = 4000). */
export const T_STEP_EF_MS = 4000;
/** T_step_EF upper bound used by a test environment. ISO15118_3_TestEnv. */
export const T_STEP_EF_MAX_MS = 8000;
/** T_step_X1: X1 (steady +12 V) held 3 s ("according to IEC 61851-1"). EVerest Charger (T_STEP_X1 = 3000). */
export const T_STEP_X1_MS = 3000;
/** Extra X1 pause after a T_step_EF (EVerest uses 750 ms; practice 500–1000 ms). EVerest Charger. */
export const T_X1_PAUSE_AFTER_EF_MS = 750;
/** Lower end of the extra X1 pause practice. EVerest Charger. */
export const T_X1_PAUSE_AFTER_EF_MIN_MS = 500;
/** Upper end of the extra X1 pause practice. EVerest Charger. */
export const T_X1_PAUSE_AFTER_EF_MAX_MS = 1000;
/**
 * C_sequ_retry: 5 % retries after TT_EVSE_SLAC_init before X1. ISO 15118-3 [V2G3-M06-07] per pyslac;
 * ISO15118_3_TestEnv.
 */
export const C_SEQU_RETRY = 2;
/** ISO 15118-2 [V2G2-847]: B→C/D within 250 ms. EVerest EvseV2G. */
export const T_ISO_CP_B_TO_CD_MS = 250;
/** EVerest's relaxed B→C/D window. EVerest EvseV2G. */
export const T_ISO_CP_B_TO_CD_EVEREST_MS = 500;
/** ISO 15118-2 [V2G2-848]: C/D→B within 250 ms. EVerest EvseV2G. */
export const T_ISO_CP_CD_TO_B_MS = 250;
/** ISO 15118-2 [V2G2-860]: contactor closed ≤ 3 s after CP C/D. EVerest libiso15118, EVerest EvseV2G. */
export const T_ISO_CONTACTOR_CLOSE_MS = 3000;
/** ISO 15118-2 Table 109: PowerDeliveryRes within 4.5 s (V2G_SECC_Msg_Performance_Time). EVerest libiso15118. */
export const T_ISO_POWER_DELIVERY_RES_MS = 4500;
/** DIN 70121 V2G_SECC_CPState_Detection_Timeout. EcoG-io/iso15118 (din_spec timeouts.py). */
export const T_DIN_CP_STATE_DETECTION_TIMEOUT_MS = 1500;
/** DIN 70121 V2G_SECC_CPOscillator_Retain_Time. EcoG-io/iso15118 (din_spec timeouts.py). */
export const T_DIN_CP_OSCILLATOR_RETAIN_MS = 1500;
