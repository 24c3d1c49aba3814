/**
 * Every figure of the connector catalogue, one named constant each, with its source. Status: C confirmed,
 * D derived by us from confirmed figures, U unconfirmed.
 * Rows in `catalogue.ts` and `adapters.ts` only reference these constants.
 *
 * Source tags (also the `tag` of a catalogue {@link Source}):
 * - W-J1772: Wikipedia "SAE J1772"; W-NACS: Wikipedia "North American Charging System" (infobox);
 *   W-CHA: wikimili.com/en/CHAdeMO; W-MCS: Wikipedia "Megawatt Charging System"
 * - OPENEV: openev.freshdesk.com "Basics of SAE J1772"; EVKX: evkx.net/dictionary/ccs; GF: GreenFlux help
 *   centre, "how to troubleshoot incorrect power output" (connector table)
 * - TFL: tflcar.com (2022-11) "Tesla opens NACS charging connector standard"; TW: telematicswire.net "Tesla
 *   opens EV charging connector design to network operators and OEMs"; EVMAG: evmagz.com/?p=92024 (SAE J3400
 *   RP publication news); ED: Electronic Design, "EV-Pluribus Unum … NACS/SAE J3400 (Part 2)" (2024-04-19)
 * - NACSHOLD: a public NACS wall-holder project quoting Tesla TS-0023666 rev 1.1; J3400-OV: an SAE J3400-2023
 *   overview page (requirements nacs implements, clause text unconfirmed); DBC: community Tesla Model 3 CAN
 *   database (e.g. joshwardell/model3dbc)
 * - NVD: nvdungx.github.io posts on GB/T 27930 and CHAdeMO; YD: yd-evcharger.com "China EV charging
 *   standard"; KOLAY: kolaycharge.com/en/connectors/gbt-dc; GBSTD: gbstd.com (GB/T 20234.1-2015 scope)
 * - PYPLC: uhi22/pyPLC; EV-BU: EVerest/everest-core bring-up guide (docs/source/how-to-guides/bringup);
 *   TF: Tinkerforge/evse-v2-bricklet (iec61851.c); SEVSE: kortas87/simple-evse
 * - derived: computed here from the figures named in the detail; engineering view: our reading of what an
 *   adapter must do electrically (the SAE J3400 adapter clauses are not available)
 */

// ---------------------------------------------------------------- SAE J1772 (Type 1) AC

/** J1772 Level 1 nominal voltage, 120 V. W-J1772, OPENEV, status C. */
export const J1772_L1_VOLTAGE_V = 120;
/** J1772 Level 1 maximum current, 16 A. W-J1772, OPENEV, status C. */
export const J1772_L1_MAX_CURRENT_A = 16;
/** J1772 Level 1 typical current, 12 A (1.44 kW @ 120 V). W-J1772, OPENEV, status C. */
export const J1772_L1_TYPICAL_CURRENT_A = 12;
/** J1772 Level 1 typical power, 1.44 kW (12 A @ 120 V). W-J1772, OPENEV, status C. */
export const J1772_L1_TYPICAL_POWER_KW = 1.44;
/** J1772 Level 1 maximum power, 1.92 kW = 120 V × 16 A. Derived from the two C figures above, status D. */
export const J1772_L1_MAX_POWER_KW = (J1772_L1_VOLTAGE_V * J1772_L1_MAX_CURRENT_A) / 1000;
/** J1772 Level 2 lowest nominal voltage, 208 V ("L2 208–240 V"). W-J1772, OPENEV, status C. */
export const J1772_L2_MIN_VOLTAGE_V = 208;
/** J1772 Level 2 nominal voltage used for limits, 240 V. W-J1772, OPENEV, status C. */
export const J1772_L2_VOLTAGE_V = 240;
/** J1772 Level 2 maximum current, 80 A. W-J1772, OPENEV, status C. */
export const J1772_L2_MAX_CURRENT_A = 80;
/** J1772 Level 2 maximum power, 19.2 kW (80 A @ 240 V). W-J1772, status C. */
export const J1772_L2_MAX_POWER_KW = 19.2;

// ---------------------------------------------------------------- IEC 62196 Type 2 AC

/** Type 2 three-phase nominal voltage, 400 V. EVKX, GF, status C. */
export const TYPE2_AC_VOLTAGE_V = 400;
/** Type 2 maximum three-phase current, 63 A. EVKX, GF, status C. */
export const TYPE2_AC_MAX_CURRENT_A = 63;
/** Type 2 maximum AC power, 43 kW. EVKX ("AC charging: up to 43 kW"), status C. */
export const TYPE2_AC_MAX_POWER_KW = 43;
/** Type 2 common three-phase current, 32 A. GF, status C. */
export const TYPE2_AC_COMMON_CURRENT_A = 32;
/** Type 2 common AC power, 22 kW (32 A three-phase). GF, status C. */
export const TYPE2_AC_COMMON_POWER_KW = 22;

// ---------------------------------------------------------------- CCS1 / CCS2 DC

/** CCS DC maximum voltage, 1000 V (CCS1 ≤ 1000 V / 500 A per jointcharging.com). EVKX, status C. */
export const CCS_DC_MAX_VOLTAGE_V = 1000;
/** CCS2 DC voltage also quoted, 920 V. questionai.com Wikipedia CCS text, status C (conflict). */
export const CCS2_DC_ALT_VOLTAGE_V = 920;
/** CCS DC maximum current, 500 A. EVKX, jointcharging.com, status C. */
export const CCS_DC_MAX_CURRENT_A = 500;
/** CCS DC maximum power, 350 kW. EVKX, status C. */
export const CCS_DC_MAX_POWER_KW = 350;
/** CCS DC power deployed, 400 kW. questionai.com Wikipedia CCS text, status C. */
export const CCS_DC_DEPLOYED_POWER_KW = 400;
/** CCS DC power demonstrated, 700 kW. questionai.com Wikipedia CCS text, status C. */
export const CCS_DC_DEMO_POWER_KW = 700;

// ---------------------------------------------------------------- SAE J3400 / NACS

/** J3400 maximum DC voltage, 1000 V ("supporting 1000V DC fast charging"). EVMAG, status C. */
export const J3400_DC_MAX_VOLTAGE_V = 1000;
/** Legacy Tesla NACS spec nominal DC voltage, 500 V. TFL, status C. */
export const J3400_LEGACY_DC_VOLTAGE_V = 500;
/** NACS max rated DC current per Tesla's published spec, 400 A. TFL, status C — conflicts with W-NACS. */
export const J3400_DC_CURRENT_A_TFL = 400;
/** NACS DC current "in excess of 650 A" (lower bound). W-NACS infobox, status C — conflicts with TFL. */
export const J3400_DC_CURRENT_A_WNACS = 650;
/**
 * DC current the catalogue uses for J3400 limits: the lower published figure (TFL 400 A), so that a limit
 * never exceeds a published rating. Policy choice over the TFL vs W-NACS conflict; status C (value), choice
 * ours.
 */
export const J3400_DC_RATED_CURRENT_A = Math.min(J3400_DC_CURRENT_A_TFL, J3400_DC_CURRENT_A_WNACS);
/** Legacy NACS power, 250 kW (V3 Supercharger, continuous). TFL, status C. */
export const J3400_LEGACY_DC_POWER_KW = 250;
/** Tesla's claim for the connector design, "up to 1 MW DC". TW, status C (a claim, not a rating). */
export const J3400_DESIGN_CLAIM_POWER_KW = 1000;
/** Tesla AC connector datasheet current, 48 A. NACSHOLD, status C (general). */
export const J3400_AC_MAX_CURRENT_A = 48;
/** J3400 AC Level 1 nominal voltage, 120 V ("typical 120/240 V"). EVMAG, status C. */
export const J3400_AC_L1_VOLTAGE_V = 120;
/** J3400 AC Level 2 nominal voltage, 240 V ("typical 120/240 V"). EVMAG, status C. */
export const J3400_AC_L2_VOLTAGE_V = 240;
/** J3400 AC voltage ceiling 277 V (single-phase commercial). J3400-OV, status U. */
export const J3400_AC_MAX_VOLTAGE_V = 277;
/**
 * J3400 AC Level 1 current: no published J3400 figure; J3400 keeps J1772 basic signalling (ED), so the
 * J1772 L1 maximum (16 A) is assumed. Status U.
 */
export const J3400_AC_L1_MAX_CURRENT_A = J1772_L1_MAX_CURRENT_A;

// ---------------------------------------------------------------- CHAdeMO

/** CHAdeMO 1.x maximum DC voltage, 500 V. W-CHA, GF, status C. */
export const CHADEMO1_DC_MAX_VOLTAGE_V = 500;
/** CHAdeMO 1.x maximum DC current, 125 A. W-CHA, GF, status C. */
export const CHADEMO1_DC_MAX_CURRENT_A = 125;
/** CHAdeMO 1.x maximum DC power, 62.5 kW. W-CHA, GF, status C. */
export const CHADEMO1_DC_MAX_POWER_KW = 62.5;
/** CHAdeMO 2.0 maximum DC voltage, 1 kV. W-CHA, status C. */
export const CHADEMO2_DC_MAX_VOLTAGE_V = 1000;
/** CHAdeMO 2.0 maximum DC current, 400 A. W-CHA, status C. */
export const CHADEMO2_DC_MAX_CURRENT_A = 400;
/** CHAdeMO 2.0 maximum DC power, 400 kW. W-CHA, status C. */
export const CHADEMO2_DC_MAX_POWER_KW = 400;
/** CHAdeMO 3.0 / ChaoJi maximum DC voltage, 1.5 kV. NVD, YD, status C. */
export const CHADEMO3_DC_MAX_VOLTAGE_V = 1500;
/** CHAdeMO 3.0 / ChaoJi maximum DC current, 600 A. NVD, YD, status C. */
export const CHADEMO3_DC_MAX_CURRENT_A = 600;
/** CHAdeMO 3.0 / ChaoJi maximum DC power, 900 kW. NVD, YD, status C. */
export const CHADEMO3_DC_MAX_POWER_KW = 900;
/** GB/T ChaoJi power, up to 1.2 MW. YD, status C (note only: not a separate row). */
export const GBT_CHAOJI_POWER_KW = 1200;
/** CHAdeMO CAN bit rate, 500 kbit/s. From memory, status U. */
export const CHADEMO_CAN_BITRATE_BPS = 500_000;

// ---------------------------------------------------------------- MCS

/** MCS maximum DC voltage, 1250 V. W-MCS, status C. */
export const MCS_DC_MAX_VOLTAGE_V = 1250;
/** MCS maximum DC current, 3000 A. W-MCS, status C. */
export const MCS_DC_MAX_CURRENT_A = 3000;
/** MCS maximum DC power, 3.75 MW (3000 A × 1250 V). W-MCS, status C. */
export const MCS_DC_MAX_POWER_KW = 3750;

// ---------------------------------------------------------------- GB/T

/** GB/T 20234.3-2015 DC connector voltage, 750 V. KOLAY, YD, status C. */
export const GBT_DC_VOLTAGE_V = 750;
/** GB/T 20234.3-2015 DC connector current, 250 A. KOLAY, YD, status C. */
export const GBT_DC_CURRENT_A = 250;
/**
 * GB/T DC power as published, "≈237.5 kW". KOLAY, YD, status C as quoted — but 750 V × 250 A is
 * 187.5 kW (D); 237.5 kW would need 950 V. Kept, flagged as a conflict in the catalogue row.
 */
export const GBT_DC_POWER_KW = 237.5;
/** GB/T DC standard envelope voltage, ≤ 1000 V. GBSTD, YD, status C. */
export const GBT_DC_ENVELOPE_VOLTAGE_V = 1000;
/** GB/T DC standard envelope current, ≤ 400 A. GBSTD, YD, status C. */
export const GBT_DC_ENVELOPE_CURRENT_A = 400;
/** GB/T 27930 CAN bit rate on S+/S−, 250 kbit/s. NVD, status C. */
export const GBT_CAN_BITRATE_BPS = 250_000;
/** GB/T AC maximum power, up to 27.7 kW. YD, status C. */
export const GBT_AC_MAX_POWER_KW = 27.7;
/** GB/T 20234.1 AC envelope voltage, ≤ 690 V. GBSTD, status C. */
export const GBT_AC_ENVELOPE_VOLTAGE_V = 690;
/** GB/T 20234.1 AC envelope current, ≤ 250 A. GBSTD, status C. */
export const GBT_AC_ENVELOPE_CURRENT_A = 250;

// ---------------------------------------------------------------- Adapters (all U: engineering view)

/**
 * Tesla "CCS Combo 1 Adapter" (CCS1 EVSE → J3400 vehicle) rating: the product is public (TW, $250) but no
 * voltage/current/power rating was found. `null` = no published rating; status U. Pass a
 * confirmed figure through `resolve(..., { adapterRating })`.
 */
export const CCS1_TO_J3400_ADAPTER_DC_RATING = {
  maxVoltageV: null,
  maxCurrentA: null,
  maxPowerKw: null,
} as const;

/**
 * J3400 EVSE → CCS1 vehicle adapter (e.g. Tesla Magic Dock) rating: no published rating. `null`; status U.
 */
export const J3400_TO_CCS1_ADAPTER_DC_RATING = {
  maxVoltageV: null,
  maxCurrentA: null,
  maxPowerKw: null,
} as const;

/**
 * AC adapters between J1772 and J3400 are rated as the J1772 side ("derate to the J1772 cordset rating",
 * engineering view): 240 V, 80 A, 19.2 kW from the J1772 L2 figures. Status D (from C values) / U (J3400
 * clause).
 */
export const J1772_J3400_AC_ADAPTER_RATING = {
  maxVoltageV: J1772_L2_VOLTAGE_V,
  maxCurrentA: J1772_L2_MAX_CURRENT_A,
  maxPowerKw: J1772_L2_MAX_POWER_KW,
} as const;

/**
 * OCPP 2.x connector type of a Magic Dock (NACS with built-in NACS→CCS1 adapter). EVerest/everest-core
 * lib/everest/ocpp/include/ocpp/v2/types.hpp, status C.
 */
export const OCPP_CONNECTOR_TYPE_NACS_CCS1 = "cNACS-CCS1";
