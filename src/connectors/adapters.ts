/**
 * Adapters between J1772/CCS1 and J3400 (our engineering view of what each must do electrically; all
 * status U because the SAE J3400 adapter clauses are not available). Ids read
 * `<EVSE connector>-to-<vehicle inlet>`.
 */
import * as R from "./ratings.js";
import type { AdapterId, AdapterRow, Source, Status } from "./types.js";

const src = (tag: string, status: Status, detail?: string): Source =>
  detail === undefined ? { tag, status } : { tag, status, detail };

const AC_RATING = {
  ...R.J1772_J3400_AC_ADAPTER_RATING,
  sources: [
    src("engineering view", "U", "derate to the J1772 cordset rating"),
    src("W-J1772", "D", "80 A @ 240 V"),
  ],
};

/** The adapters, keyed by id. Source: engineering view (status U throughout); tags as listed in `ratings.ts`. */
export const ADAPTERS: Readonly<Record<AdapterId, AdapterRow>> = {
  "j1772-to-j3400": {
    id: "j1772-to-j3400",
    name: "J1772 EVSE → J3400 vehicle (AC)",
    evseSide: "j1772",
    vehicleSide: "j3400",
    passes: ["ac"],
    rating: { ac: AC_RATING },
    sources: [src("engineering view", "U")],
    notes: [
      "passes L1, L2/N, PE, CP straight through",
      "presents a J3400 PP network to the vehicle and reflects the J1772 latch/button state",
      "derated to the J1772 cordset rating; the PWM duty cycle already encodes the current",
    ],
  },
  "j3400-to-j1772": {
    id: "j3400-to-j1772",
    name: "J3400 EVSE → J1772 vehicle (AC only)",
    evseSide: "j3400",
    vehicleSide: "j1772",
    passes: ["ac"],
    rating: { ac: AC_RATING },
    sources: [src("engineering view", "U")],
    notes: [
      "passes power, PE, CP; provides a J1772 PP network (150 Ω + S3/330 Ω) on the vehicle side",
      "must not pass DC: valid only when the EVSE is AC (nominal PWM)",
    ],
  },
  "ccs1-to-j3400": {
    id: "ccs1-to-j3400",
    name: "CCS1 EVSE → J3400 vehicle (DC)",
    evseSide: "ccs1",
    vehicleSide: "j3400",
    passes: ["dc"],
    rating: {
      dc: {
        ...R.CCS1_TO_J3400_ADAPTER_DC_RATING,
        sources: [src("TW", "U", "Tesla sold a CCS Combo 1 Adapter ($250); no published rating")],
      },
    },
    sources: [src("engineering view", "U"), src("TW", "C", "product exists")],
    notes: [
      "maps DC+/DC− to the two J3400 power pins; CP and PE through; PP network presented to the vehicle",
      "DC only: a CCS1 EVSE plug is the DC combo plug (AC EVSEs use a J1772 plug — use j1772-to-j3400)",
    ],
  },
  "j3400-to-ccs1": {
    id: "j3400-to-ccs1",
    name: "J3400 EVSE → CCS1 vehicle (DC, e.g. Magic Dock)",
    evseSide: "j3400",
    vehicleSide: "ccs1",
    passes: ["dc"],
    rating: {
      dc: {
        ...R.J3400_TO_CCS1_ADAPTER_DC_RATING,
        sources: [src("engineering view", "U", "no published rating")],
      },
    },
    ocppConnectorType: R.OCPP_CONNECTOR_TYPE_NACS_CCS1,
    sources: [src("engineering view", "U"), src("EVerest ocpp v2 types.hpp", "C", "cNACS-CCS1")],
    notes: [
      "reverse of ccs1-to-j3400: J3400 DC pins to the CCS1 combo DC pins",
      "DC only: the CCS1 combo plug it presents has no AC pins",
    ],
  },
};

/** All adapter ids, in catalogue order. */
export const ADAPTER_IDS = Object.keys(ADAPTERS) as unknown as readonly [AdapterId, ...AdapterId[]];
