/**
 * Connector catalogue rows (figures and their sources in `ratings.ts`, which also explains the source tags).
 * A row describes one coupler system: what its vehicle inlet can take (`modes`), what its plug carries
 * (`plugCarries`) and which plugs mate with its inlet (`inletAccepts`).
 */
import * as R from "./ratings.js";
import type { ConnectorId, ConnectorRow, Source, Status } from "./types.js";

const src = (tag: string, status: Status, detail?: string): Source =>
  detail === undefined ? { tag, status } : { tag, status, detail };

const J1772_AC = {
  phases: 1,
  levels: [
    {
      mode: "ac-l1",
      maxVoltageV: R.J1772_L1_VOLTAGE_V,
      maxCurrentA: R.J1772_L1_MAX_CURRENT_A,
      maxPowerKw: R.J1772_L1_MAX_POWER_KW,
      sources: [
        src("W-J1772", "C", "L1 max 16 A; 1.44 kW typical at 12 A @ 120 V"),
        src("OPENEV", "C"),
        src("derived", "D", "1.92 kW = 120 V × 16 A"),
      ],
    },
    {
      mode: "ac-l2",
      maxVoltageV: R.J1772_L2_VOLTAGE_V,
      maxCurrentA: R.J1772_L2_MAX_CURRENT_A,
      maxPowerKw: R.J1772_L2_MAX_POWER_KW,
      sources: [src("W-J1772", "C", "L2 208–240 V up to 80 A, 19.2 kW"), src("OPENEV", "C")],
    },
  ],
} as const satisfies ConnectorRow["modes"]["ac"];

const TYPE2_AC = {
  phases: 3,
  levels: [
    {
      mode: "ac-3ph",
      maxVoltageV: R.TYPE2_AC_VOLTAGE_V,
      maxCurrentA: R.TYPE2_AC_MAX_CURRENT_A,
      maxPowerKw: R.TYPE2_AC_MAX_POWER_KW,
      sources: [src("EVKX", "C", "AC charging: up to 43 kW"), src("GF", "C", "63 A 3-phase @ 400 V")],
    },
  ],
} as const satisfies ConnectorRow["modes"]["ac"];

const CCS_DC = {
  defaultVariant: "combo",
  variants: [
    {
      id: "combo",
      label: "CCS DC",
      maxVoltageV: R.CCS_DC_MAX_VOLTAGE_V,
      maxCurrentA: R.CCS_DC_MAX_CURRENT_A,
      maxPowerKw: R.CCS_DC_MAX_POWER_KW,
      sources: [
        src("EVKX", "C", "350 kW, 500 A, up to 1000 V"),
        src("jointcharging.com (CCS glossary)", "C", "CCS1 ≤ 1000 V / 500 A"),
      ],
    },
  ],
} as const satisfies ConnectorRow["modes"]["dc"];

const CCS_POWER_CONFLICT = {
  field: "dc.maxPowerKw",
  values: [
    { value: `${R.CCS_DC_MAX_POWER_KW} kW`, source: src("EVKX", "C", "rating") },
    {
      value: `${R.CCS_DC_DEPLOYED_POWER_KW} kW deployed, ${R.CCS_DC_DEMO_POWER_KW} kW demoed`,
      source: src("questionai.com (Wikipedia CCS text)", "C"),
    },
  ],
  note: `limits use the ${R.CCS_DC_MAX_POWER_KW} kW rating; higher figures are deployments/demos, not the rating`,
} as const;

const COMBO_PLUG_NOTE =
  "the combo DC plug carries DC only; AC into this vehicle inlet comes from a plain AC plug in its upper part (background, U: pin-out not confirmed by a public source)";

/** The catalogue, keyed by id. Sources per figure and row; tags as listed in `ratings.ts`. */
export const CONNECTORS: Readonly<Record<ConnectorId, ConnectorRow>> = {
  j3400: {
    id: "j3400",
    name: "SAE J3400 (NACS)",
    region: "North America",
    modes: {
      ac: {
        phases: 1,
        levels: [
          {
            mode: "ac-l1",
            maxVoltageV: R.J3400_AC_L1_VOLTAGE_V,
            maxCurrentA: R.J3400_AC_L1_MAX_CURRENT_A,
            maxPowerKw: (R.J3400_AC_L1_VOLTAGE_V * R.J3400_AC_L1_MAX_CURRENT_A) / 1000,
            sources: [
              src("EVMAG", "C", "SAE Universal AC charging, typical 120/240 V"),
              src("ED", "U", "L1 current assumed = J1772 L1 16 A (J3400 keeps J1772 basic signalling)"),
            ],
          },
          {
            mode: "ac-l2",
            maxVoltageV: R.J3400_AC_L2_VOLTAGE_V,
            maxCurrentA: R.J3400_AC_MAX_CURRENT_A,
            maxPowerKw: (R.J3400_AC_L2_VOLTAGE_V * R.J3400_AC_MAX_CURRENT_A) / 1000,
            sources: [
              src("EVMAG", "C", "typical 120/240 V"),
              src("NACSHOLD", "C", "Tesla AC connector datasheet 48 A (general)"),
              src("derived", "D", "11.52 kW = 240 V × 48 A"),
            ],
          },
        ],
      },
      dc: {
        defaultVariant: "1000",
        variants: [
          {
            id: "1000",
            label: "J3400 1000 V",
            maxVoltageV: R.J3400_DC_MAX_VOLTAGE_V,
            maxCurrentA: R.J3400_DC_RATED_CURRENT_A,
            maxPowerKw: (R.J3400_DC_MAX_VOLTAGE_V * R.J3400_DC_RATED_CURRENT_A) / 1000,
            sources: [
              src("EVMAG", "C", "1000 V DC"),
              src("TFL", "C", "400 A max rated (conflict, see conflicts)"),
              src("derived", "D", "400 kW = 1000 V × 400 A"),
            ],
          },
          {
            id: "legacy500",
            label: "Tesla legacy 500 V",
            maxVoltageV: R.J3400_LEGACY_DC_VOLTAGE_V,
            maxCurrentA: R.J3400_DC_RATED_CURRENT_A,
            maxPowerKw: R.J3400_LEGACY_DC_POWER_KW,
            sources: [src("TFL", "C", "500 V nominal; 250 kW (V3); 400 A max rated")],
          },
        ],
      },
    },
    plugCarries: ["ac", "dc"],
    inletAccepts: ["j3400"],
    signalling: ["cp-pwm", "hlc", "sw-can"],
    proximity:
      "J1772-style PP: 150 Ω latched, 480 Ω button pressed (SEVSE, OPENEV; C for J1772 values, U for J3400 text)",
    sources: [src("W-NACS", "C"), src("ED", "C"), src("EVMAG", "C"), src("TFL", "C"), src("TW", "C")],
    conflicts: [
      {
        field: "dc.maxCurrentA",
        values: [
          { value: `${R.J3400_DC_CURRENT_A_TFL} A`, source: src("TFL", "C", "Tesla spec, max rated") },
          { value: `>${R.J3400_DC_CURRENT_A_WNACS} A`, source: src("W-NACS", "C", "infobox") },
        ],
        note: `limits use the lower figure, ${R.J3400_DC_RATED_CURRENT_A} A (TFL vs W-NACS conflict)`,
      },
      {
        field: "dc.variants.legacy500.maxPowerKw",
        values: [
          { value: `${R.J3400_LEGACY_DC_POWER_KW} kW`, source: src("TFL", "C", "V3 Supercharger") },
          {
            value: `${(R.J3400_LEGACY_DC_VOLTAGE_V * R.J3400_DC_CURRENT_A_TFL) / 1000} kW`,
            source: src("derived", "D", "500 V × 400 A"),
          },
        ],
        note: "250 kW at 500 V needs 500 A, more than the 400 A TFL figure; resolve() caps power at V × I",
      },
      {
        field: "dc.maxPowerKw",
        values: [
          {
            value: `${R.J3400_DESIGN_CLAIM_POWER_KW} kW`,
            source: src("TW", "C", "design claim, up to 1 MW"),
          },
          {
            value: `${(R.J3400_DC_MAX_VOLTAGE_V * R.J3400_DC_RATED_CURRENT_A) / 1000} kW`,
            source: src("derived", "D", "1000 V × 400 A"),
          },
        ],
        note: "the 1 MW claim is not a rating; limits use V × I",
      },
    ],
    notes: [
      "one pair of power pins carries AC (L1/L2 or L/N) or DC (+/−); interlocks allow one path at a time (W-NACS, ED)",
      `AC up to ${R.J3400_AC_MAX_VOLTAGE_V} V single-phase (J3400-OV, U); limits use 240 V nominal`,
      "legacy Tesla SW-CAN (SAE J2411) on CP (DBC, community; U for J3400)",
    ],
  },
  j1772: {
    id: "j1772",
    name: "SAE J1772 (Type 1) AC",
    region: "North America",
    modes: { ac: J1772_AC },
    plugCarries: ["ac"],
    inletAccepts: ["j1772"],
    signalling: ["cp-pwm", "hlc"],
    proximity: "PP 150 Ω latched / 480 Ω button pressed, EV 330 Ω pull-up + 2.7 kΩ (SEVSE, OPENEV, PYPLC, C)",
    sources: [src("W-J1772", "C"), src("OPENEV", "C")],
    conflicts: [],
    notes: [
      `L2 covers ${R.J1772_L2_MIN_VOLTAGE_V}–${R.J1772_L2_VOLTAGE_V} V; limits use ${R.J1772_L2_VOLTAGE_V} V`,
      `typical L1: ${R.J1772_L1_TYPICAL_CURRENT_A} A, ${R.J1772_L1_TYPICAL_POWER_KW} kW (W-J1772)`,
      "HLC over the CP line is optional for AC (ISO 15118-2)",
    ],
  },
  ccs1: {
    id: "ccs1",
    name: "CCS Combo 1",
    region: "North America",
    modes: { ac: J1772_AC, dc: CCS_DC },
    plugCarries: ["dc"],
    inletAccepts: ["ccs1", "j1772"],
    signalling: ["cp-pwm", "hlc"],
    proximity: "J1772 PP network + CP states; DC uses 5 % PWM + HLC (W-J1772, PYPLC, C)",
    sources: [
      src("EVKX", "C"),
      src("jointcharging.com (CCS glossary)", "C"),
      src("W-J1772", "C"),
      src("PYPLC", "C"),
    ],
    conflicts: [CCS_POWER_CONFLICT],
    notes: [COMBO_PLUG_NOTE, "inlet AC ratings are the J1772 ratings (the inlet's upper part is J1772)"],
  },
  ccs2: {
    id: "ccs2",
    name: "CCS Combo 2",
    region: "Europe",
    modes: { ac: TYPE2_AC, dc: CCS_DC },
    plugCarries: ["dc"],
    inletAccepts: ["ccs2", "type2"],
    signalling: ["cp-pwm", "hlc"],
    proximity: "IEC 62196 PP resistor (EV-BU) + CP; the DC plug carries 1.5 kΩ PP–PE (PYPLC, C)",
    sources: [src("EVKX", "C"), src("questionai.com (Wikipedia CCS text)", "C"), src("EV-BU", "C")],
    conflicts: [
      {
        field: "dc.maxVoltageV",
        values: [
          { value: `${R.CCS_DC_MAX_VOLTAGE_V} V`, source: src("EVKX", "C") },
          { value: `${R.CCS2_DC_ALT_VOLTAGE_V} V`, source: src("questionai.com (Wikipedia CCS text)", "C") },
        ],
        note: `limits use ${R.CCS_DC_MAX_VOLTAGE_V} V; ${R.CCS2_DC_ALT_VOLTAGE_V} V is also quoted for CCS2`,
      },
      CCS_POWER_CONFLICT,
    ],
    notes: [COMBO_PLUG_NOTE, "inlet AC ratings are the Type 2 ratings (the inlet's upper part is Type 2)"],
  },
  type2: {
    id: "type2",
    name: "IEC 62196 Type 2 AC",
    region: "Europe",
    modes: {
      ac: TYPE2_AC,
    },
    plugCarries: ["ac"],
    inletAccepts: ["type2"],
    signalling: ["cp-pwm", "hlc"],
    proximity: "PP–PE resistor codes cable ampacity: 1500/680/220/100 Ω = 13/20/32/63 A (EV-BU, TF, C)",
    sources: [src("EVKX", "C"), src("GF", "C"), src("EV-BU", "C"), src("TF", "C")],
    conflicts: [],
    notes: [
      `common: ${R.TYPE2_AC_COMMON_CURRENT_A} A three-phase, ${R.TYPE2_AC_COMMON_POWER_KW} kW (GF)`,
      "single-phase use (PP coding up to 70 A 1-ph, EV-BU/TF) is not modelled: no sourced single-phase nominal voltage",
    ],
  },
  chademo: {
    id: "chademo",
    name: "CHAdeMO",
    region: "Japan",
    modes: {
      dc: {
        defaultVariant: "2.0",
        variants: [
          {
            id: "2.0",
            label: "CHAdeMO 2.0",
            maxVoltageV: R.CHADEMO2_DC_MAX_VOLTAGE_V,
            maxCurrentA: R.CHADEMO2_DC_MAX_CURRENT_A,
            maxPowerKw: R.CHADEMO2_DC_MAX_POWER_KW,
            sources: [src("W-CHA", "C", "400 kW (1 kV × 400 A)")],
          },
          {
            id: "1.x",
            label: "CHAdeMO 1.x",
            maxVoltageV: R.CHADEMO1_DC_MAX_VOLTAGE_V,
            maxCurrentA: R.CHADEMO1_DC_MAX_CURRENT_A,
            maxPowerKw: R.CHADEMO1_DC_MAX_POWER_KW,
            sources: [src("W-CHA", "C", "62.5 kW (500 V × 125 A)"), src("GF", "C")],
          },
          {
            id: "3.0",
            label: "CHAdeMO 3.0 / ChaoJi",
            maxVoltageV: R.CHADEMO3_DC_MAX_VOLTAGE_V,
            maxCurrentA: R.CHADEMO3_DC_MAX_CURRENT_A,
            maxPowerKw: R.CHADEMO3_DC_MAX_POWER_KW,
            sources: [src("NVD", "C", "900 kW (600 A × 1.5 kV)"), src("YD", "C")],
          },
        ],
      },
    },
    plugCarries: ["dc"],
    inletAccepts: ["chademo"],
    signalling: ["can"],
    proximity:
      "dedicated pins: SS1/SS2 charge sequence, DCP charge permission, PP proximity (also drive interlock), CAN-H/L (NVD, C)",
    sources: [src("W-CHA", "C"), src("GF", "C"), src("NVD", "C"), src("YD", "C")],
    conflicts: [],
    notes: [
      `CAN at ${R.CHADEMO_CAN_BITRATE_BPS / 1000} kbit/s (from memory, U)`,
      "variant 3.0 (ChaoJi) is listed for its figures; whether it uses this coupler is not confirmed by a public source (U)",
    ],
  },
  mcs: {
    id: "mcs",
    name: "Megawatt Charging System (MCS)",
    region: "global (heavy-duty)",
    modes: {
      dc: {
        defaultVariant: "mcs",
        variants: [
          {
            id: "mcs",
            label: "MCS",
            maxVoltageV: R.MCS_DC_MAX_VOLTAGE_V,
            maxCurrentA: R.MCS_DC_MAX_CURRENT_A,
            maxPowerKw: R.MCS_DC_MAX_POWER_KW,
            sources: [src("W-MCS", "C", "3000 A × 1250 V = 3.75 MW")],
          },
        ],
      },
    },
    plugCarries: ["dc"],
    inletAccepts: ["mcs"],
    signalling: ["hlc"],
    proximity: "no public source found (U)",
    sources: [src("W-MCS", "C")],
    conflicts: [],
    notes: ["HLC is ISO 15118-20 (W-MCS)"],
  },
  "gbt-ac": {
    id: "gbt-ac",
    name: "GB/T 20234.2 AC",
    region: "China",
    modes: {
      ac: {
        phases: 3,
        levels: [
          {
            mode: "ac-3ph",
            maxVoltageV: R.GBT_AC_ENVELOPE_VOLTAGE_V,
            maxCurrentA: R.GBT_AC_ENVELOPE_CURRENT_A,
            maxPowerKw: R.GBT_AC_MAX_POWER_KW,
            sources: [
              src("YD", "C", "up to 27.7 kW"),
              src("GBSTD", "C", "GB/T 20234.1 envelope ≤ 690 V, ≤ 250 A"),
            ],
          },
        ],
      },
    },
    plugCarries: ["ac"],
    inletAccepts: ["gbt-ac"],
    signalling: ["cp-pwm"],
    proximity: "no public source found (U)",
    sources: [src("YD", "C"), src("GBSTD", "C")],
    conflicts: [],
    notes: [
      "voltage/current are the GB/T 20234.1 envelope, not a connector rating; 27.7 kW is the binding figure",
      "three-phase assumed from the 27.7 kW figure (U); CP PWM signalling assumed (background, U)",
    ],
  },
  "gbt-dc": {
    id: "gbt-dc",
    name: "GB/T 20234.3 DC",
    region: "China",
    modes: {
      dc: {
        defaultVariant: "2015",
        variants: [
          {
            id: "2015",
            label: "GB/T 20234.3-2015",
            maxVoltageV: R.GBT_DC_VOLTAGE_V,
            maxCurrentA: R.GBT_DC_CURRENT_A,
            maxPowerKw: R.GBT_DC_POWER_KW,
            sources: [src("KOLAY", "C", "250 A, 750 V"), src("YD", "C")],
          },
          {
            id: "envelope",
            label: "GB/T standard envelope",
            maxVoltageV: R.GBT_DC_ENVELOPE_VOLTAGE_V,
            maxCurrentA: R.GBT_DC_ENVELOPE_CURRENT_A,
            maxPowerKw: null,
            sources: [src("GBSTD", "C", "≤ 1000 V / 400 A"), src("YD", "C")],
          },
        ],
      },
    },
    plugCarries: ["dc"],
    inletAccepts: ["gbt-dc"],
    signalling: ["can"],
    proximity:
      "CC1/CC2 connection-confirm lines; A+/A− 12 V auxiliary supply (NVD, C); CC1 resistor values U",
    sources: [src("KOLAY", "C"), src("YD", "C"), src("GBSTD", "C"), src("NVD", "C")],
    conflicts: [
      {
        field: "dc.variants.2015.maxPowerKw",
        values: [
          { value: `≈${R.GBT_DC_POWER_KW} kW`, source: src("KOLAY, YD", "C") },
          {
            value: `${(R.GBT_DC_VOLTAGE_V * R.GBT_DC_CURRENT_A) / 1000} kW`,
            source: src("derived", "D", "750 V × 250 A"),
          },
        ],
        note: "the quoted power needs 950 V at 250 A; resolve() caps power at V × I",
      },
    ],
    notes: [
      `CAN S+/S− at ${R.GBT_CAN_BITRATE_BPS / 1000} kbit/s, J1939-based GB/T 27930, charger 0x56, BMS 0xF4 (NVD)`,
      `GB/T ChaoJi up to ${R.GBT_CHAOJI_POWER_KW / 1000} MW (YD)`,
    ],
  },
};

/** All connector ids, in catalogue order. */
export const CONNECTOR_IDS = Object.keys(CONNECTORS) as unknown as readonly [ConnectorId, ...ConnectorId[]];
