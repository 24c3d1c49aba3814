/**
 * Every figure of the connector catalogue, one named constant each, with its source (spec digest §4,
 * §3.1, §3.4, §2.3). Tags are the digest §0 source tags. Status: C confirmed, D derived, U unconfirmed.
 * Rows in `catalogue.ts` and `adapters.ts` only reference these constants.
 */

// ---------------------------------------------------------------- SAE J1772 (Type 1) AC — digest §4

/** J1772 Level 1 nominal voltage, 120 V. W-J1772, OPENEV (digest §4), status C. */
export const J1772_L1_VOLTAGE_V = 120;
/** J1772 Level 1 maximum current, 16 A. W-J1772, OPENEV (digest §4: "J1772 L1 max 16 A"), status C. */
export const J1772_L1_MAX_CURRENT_A = 16;
/** J1772 Level 1 typical current, 12 A (1.44 kW @ 120 V). W-J1772, OPENEV (digest §4), status C. */
export const J1772_L1_TYPICAL_CURRENT_A = 12;
/** J1772 Level 1 typical power, 1.44 kW (12 A @ 120 V). W-J1772, OPENEV (digest §4), status C. */
export const J1772_L1_TYPICAL_POWER_KW = 1.44;
/** J1772 Level 1 maximum power, 1.92 kW = 120 V × 16 A. Derived from the two C figures above, status D. */
export const J1772_L1_MAX_POWER_KW = (J1772_L1_VOLTAGE_V * J1772_L1_MAX_CURRENT_A) / 1000;
/** J1772 Level 2 lowest nominal voltage, 208 V ("L2 208–240 V"). W-J1772, OPENEV (digest §4), status C. */
export const J1772_L2_MIN_VOLTAGE_V = 208;
/** J1772 Level 2 nominal voltage used for limits, 240 V. W-J1772, OPENEV (digest §4), status C. */
export const J1772_L2_VOLTAGE_V = 240;
/** J1772 Level 2 maximum current, 80 A. W-J1772, OPENEV (digest §4), status C. */
export const J1772_L2_MAX_CURRENT_A = 80;
/** J1772 Level 2 maximum power, 19.2 kW (80 A @ 240 V). W-J1772 (digest §4), status C. */
export const J1772_L2_MAX_POWER_KW = 19.2;

// ---------------------------------------------------------------- IEC 62196 Type 2 AC — digest §4

/** Type 2 three-phase nominal voltage, 400 V. EVKX, GF (digest §4), status C. */
export const TYPE2_AC_VOLTAGE_V = 400;
/** Type 2 maximum three-phase current, 63 A. EVKX, GF (digest §4), status C. */
export const TYPE2_AC_MAX_CURRENT_A = 63;
/** Type 2 maximum AC power, 43 kW. EVKX ("AC charging: up to 43 kW") (digest §4), status C. */
export const TYPE2_AC_MAX_POWER_KW = 43;
/** Type 2 common three-phase current, 32 A. GF (digest §4), status C. */
export const TYPE2_AC_COMMON_CURRENT_A = 32;
/** Type 2 common AC power, 22 kW (32 A three-phase). GF (digest §4), status C. */
export const TYPE2_AC_COMMON_POWER_KW = 22;

// ---------------------------------------------------------------- CCS1 / CCS2 DC — digest §4

/** CCS DC maximum voltage, 1000 V (CCS1 ≤ 1000 V / 500 A per jointcharging.com). EVKX (digest §4), status C. */
export const CCS_DC_MAX_VOLTAGE_V = 1000;
/** CCS2 DC voltage also quoted, 920 V. questionai.com Wikipedia CCS text (digest §4), status C (conflict). */
export const CCS2_DC_ALT_VOLTAGE_V = 920;
/** CCS DC maximum current, 500 A. EVKX, jointcharging.com (digest §4), status C. */
export const CCS_DC_MAX_CURRENT_A = 500;
/** CCS DC maximum power, 350 kW. EVKX (digest §4), status C. */
export const CCS_DC_MAX_POWER_KW = 350;
/** CCS DC power deployed, 400 kW. questionai.com Wikipedia CCS text (digest §4), status C. */
export const CCS_DC_DEPLOYED_POWER_KW = 400;
/** CCS DC power demonstrated, 700 kW. questionai.com Wikipedia CCS text (digest §4), status C. */
export const CCS_DC_DEMO_POWER_KW = 700;

// ---------------------------------------------------------------- SAE J3400 / NACS — digest §3.1, §4

/** J3400 maximum DC voltage, 1000 V ("supporting 1000V DC fast charging"). EVMAG (digest §3.1), status C. */
export const J3400_DC_MAX_VOLTAGE_V = 1000;
/** Legacy Tesla NACS spec nominal DC voltage, 500 V. TFL (digest §3.1, §4), status C. */
export const J3400_LEGACY_DC_VOLTAGE_V = 500;
/** NACS max rated DC current per Tesla's published spec, 400 A. TFL (digest §3.1), status C — conflicts with W-NACS. */
export const J3400_DC_CURRENT_A_TFL = 400;
/** NACS DC current "in excess of 650 A" (lower bound). W-NACS infobox (digest §3.1), status C — conflicts with TFL. */
export const J3400_DC_CURRENT_A_WNACS = 650;
/**
 * DC current the catalogue uses for J3400 limits: the lower published figure (TFL 400 A), so that a limit
 * never exceeds a published rating. Policy choice over a digest §8 conflict; status C (value), choice ours.
 */
export const J3400_DC_RATED_CURRENT_A = Math.min(J3400_DC_CURRENT_A_TFL, J3400_DC_CURRENT_A_WNACS);
/** Legacy NACS power, 250 kW (V3 Supercharger, continuous). TFL (digest §3.1, §4), status C. */
export const J3400_LEGACY_DC_POWER_KW = 250;
/** Tesla's claim for the connector design, "up to 1 MW DC". TW (digest §3.1), status C (a claim, not a rating). */
export const J3400_DESIGN_CLAIM_POWER_KW = 1000;
/** Tesla AC connector datasheet current, 48 A. NACSHOLD index excerpt (digest §3.1), status C (general). */
export const J3400_AC_MAX_CURRENT_A = 48;
/** J3400 AC Level 1 nominal voltage, 120 V ("typical 120/240 V"). EVMAG (digest §3.1), status C. */
export const J3400_AC_L1_VOLTAGE_V = 120;
/** J3400 AC Level 2 nominal voltage, 240 V ("typical 120/240 V"). EVMAG (digest §3.1), status C. */
export const J3400_AC_L2_VOLTAGE_V = 240;
/** J3400 AC voltage ceiling 277 V (single-phase commercial). J3400-OV (digest §3.1), status U. */
export const J3400_AC_MAX_VOLTAGE_V = 277;
/**
 * J3400 AC Level 1 current: no J3400 figure in the digest; J3400 keeps J1772 basic signalling (ED, digest
 * §3.1), so the J1772 L1 maximum (16 A) is assumed. Status U.
 */
export const J3400_AC_L1_MAX_CURRENT_A = J1772_L1_MAX_CURRENT_A;

// ---------------------------------------------------------------- CHAdeMO — digest §4, §2.3

/** CHAdeMO 1.x maximum DC voltage, 500 V. W-CHA, GF (digest §4), status C. */
export const CHADEMO1_DC_MAX_VOLTAGE_V = 500;
/** CHAdeMO 1.x maximum DC current, 125 A. W-CHA, GF (digest §4), status C. */
export const CHADEMO1_DC_MAX_CURRENT_A = 125;
/** CHAdeMO 1.x maximum DC power, 62.5 kW. W-CHA, GF (digest §4), status C. */
export const CHADEMO1_DC_MAX_POWER_KW = 62.5;
/** CHAdeMO 2.0 maximum DC voltage, 1 kV. W-CHA (digest §4), status C. */
export const CHADEMO2_DC_MAX_VOLTAGE_V = 1000;
/** CHAdeMO 2.0 maximum DC current, 400 A. W-CHA (digest §4), status C. */
export const CHADEMO2_DC_MAX_CURRENT_A = 400;
/** CHAdeMO 2.0 maximum DC power, 400 kW. W-CHA (digest §4), status C. */
export const CHADEMO2_DC_MAX_POWER_KW = 400;
/** CHAdeMO 3.0 / ChaoJi maximum DC voltage, 1.5 kV. NVD, YD (digest §4), status C. */
export const CHADEMO3_DC_MAX_VOLTAGE_V = 1500;
/** CHAdeMO 3.0 / ChaoJi maximum DC current, 600 A. NVD, YD (digest §4), status C. */
export const CHADEMO3_DC_MAX_CURRENT_A = 600;
/** CHAdeMO 3.0 / ChaoJi maximum DC power, 900 kW. NVD, YD (digest §4), status C. */
export const CHADEMO3_DC_MAX_POWER_KW = 900;
/** GB/T ChaoJi power, up to 1.2 MW. YD (digest §4), status C (note only: not a separate row). */
export const GBT_CHAOJI_POWER_KW = 1200;
/** CHAdeMO CAN bit rate, 500 kbit/s. From memory (digest §2.3), status U. */
export const CHADEMO_CAN_BITRATE_BPS = 500_000;

// ---------------------------------------------------------------- MCS — digest §4

/** MCS maximum DC voltage, 1250 V. W-MCS (digest §4), status C. */
export const MCS_DC_MAX_VOLTAGE_V = 1250;
/** MCS maximum DC current, 3000 A. W-MCS (digest §4), status C. */
export const MCS_DC_MAX_CURRENT_A = 3000;
/** MCS maximum DC power, 3.75 MW (3000 A × 1250 V). W-MCS (digest §4), status C. */
export const MCS_DC_MAX_POWER_KW = 3750;

// ---------------------------------------------------------------- GB/T — digest §4, §2.3

/** GB/T 20234.3-2015 DC connector voltage, 750 V. KOLAY, YD (digest §4), status C. */
export const GBT_DC_VOLTAGE_V = 750;
/** GB/T 20234.3-2015 DC connector current, 250 A. KOLAY, YD (digest §4), status C. */
export const GBT_DC_CURRENT_A = 250;
/**
 * GB/T DC power as given in digest §4, "≈237.5 kW". KOLAY, YD, status C as quoted — but 750 V × 250 A is
 * 187.5 kW (D); 237.5 kW would need 950 V. Kept, flagged as a conflict in the catalogue row.
 */
export const GBT_DC_POWER_KW = 237.5;
/** GB/T DC standard envelope voltage, ≤ 1000 V. GBSTD, YD (digest §4), status C. */
export const GBT_DC_ENVELOPE_VOLTAGE_V = 1000;
/** GB/T DC standard envelope current, ≤ 400 A. GBSTD, YD (digest §4), status C. */
export const GBT_DC_ENVELOPE_CURRENT_A = 400;
/** GB/T 27930 CAN bit rate on S+/S−, 250 kbit/s. NVD (digest §2.3), status C. */
export const GBT_CAN_BITRATE_BPS = 250_000;
/** GB/T AC maximum power, up to 27.7 kW. YD (digest §4), status C. */
export const GBT_AC_MAX_POWER_KW = 27.7;
/** GB/T 20234.1 AC envelope voltage, ≤ 690 V. GBSTD (digest §4), status C. */
export const GBT_AC_ENVELOPE_VOLTAGE_V = 690;
/** GB/T 20234.1 AC envelope current, ≤ 250 A. GBSTD (digest §4), status C. */
export const GBT_AC_ENVELOPE_CURRENT_A = 250;

// ---------------------------------------------------------------- Adapters — digest §3.4 (all U)

/**
 * Tesla "CCS Combo 1 Adapter" (CCS1 EVSE → J3400 vehicle) rating: the digest names the product (TW, $250)
 * but gives no voltage/current/power rating. `null` = not published in the digest; status U. Pass a
 * confirmed figure through `resolve(..., { adapterRating })`.
 */
export const CCS1_TO_J3400_ADAPTER_DC_RATING = {
  maxVoltageV: null,
  maxCurrentA: null,
  maxPowerKw: null,
} as const;

/**
 * J3400 EVSE → CCS1 vehicle adapter (e.g. Tesla Magic Dock) rating: not in the digest. `null`; status U.
 */
export const J3400_TO_CCS1_ADAPTER_DC_RATING = {
  maxVoltageV: null,
  maxCurrentA: null,
  maxPowerKw: null,
} as const;

/**
 * AC adapters between J1772 and J3400 are rated as the J1772 side ("derate to the J1772 cordset rating",
 * digest §3.4): 240 V, 80 A, 19.2 kW from the J1772 L2 figures. Status D (from C values) / U (J3400 clause).
 */
export const J1772_J3400_AC_ADAPTER_RATING = {
  maxVoltageV: J1772_L2_VOLTAGE_V,
  maxCurrentA: J1772_L2_MAX_CURRENT_A,
  maxPowerKw: J1772_L2_MAX_POWER_KW,
} as const;

/** OCPP 2.x connector type of a Magic Dock (NACS with built-in NACS→CCS1 adapter). EVerest types.hpp (digest §3.4), status C. */
export const OCPP_CONNECTOR_TYPE_NACS_CCS1 = "cNACS-CCS1";
