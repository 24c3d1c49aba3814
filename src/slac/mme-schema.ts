/**
 * Field layouts of the SLAC MMEs (payload after the MME header), one table drives decode, encode, the
 * TypeScript types and the property tests. Layouts: EVerest libslac (`slac.hpp`) and pyslac (`messages.py`);
 * byte counts checked against the EVerest/dsV2Gshark captures (e.g. CM_ATTEN_CHAR.IND 110 B, .RSP 51 B,
 * SLAC_MATCH.CNF 90 B). Multi-byte integers are little-endian (HomePlug AV convention; MVFLength is 3e 00 in
 * every capture).
 */
import {
  CM_AMP_MAP,
  CM_ATTEN_CHAR,
  CM_ATTEN_PROFILE,
  CM_MNBC_SOUND,
  CM_SET_KEY,
  CM_SLAC_MATCH,
  CM_SLAC_PARM,
  CM_START_ATTEN_CHAR,
  CM_VALIDATE,
  MAC_LENGTH,
  MMTYPE_CNF,
  MMTYPE_IND,
  MMTYPE_REQ,
  MMTYPE_RSP,
  MNBC_RND_LENGTH,
  RUN_ID_LENGTH,
  STATION_ID_LENGTH,
} from "./constants.js";
import { NID_LENGTH, NMK_LENGTH } from "./keys.js";

/**
 * Kind of one field: unsigned integers, a fixed number of bytes, or variable bytes whose length comes
 * from an earlier integer field (`count` bytes, or ⌈value/2⌉ for 4-bit-per-carrier data).
 */
export type FieldKind =
  | "u8"
  | "u16le"
  | "u32le"
  | { readonly bytes: number }
  | { readonly lengthFrom: string; readonly nibbles?: boolean };

/** One field: name (camelCase, as in the decoded object) and kind. */
export type FieldSpec = readonly [name: string, kind: FieldKind];

const MAC = { bytes: MAC_LENGTH } as const;
const RUN_ID = { bytes: RUN_ID_LENGTH } as const;
const STATION_ID = { bytes: STATION_ID_LENGTH } as const;

const SLAC_MATCH_COMMON = [
  ["applicationType", "u8"],
  ["securityType", "u8"],
  ["mvfLength", "u16le"],
  ["pevId", STATION_ID],
  ["pevMac", MAC],
  ["evseId", STATION_ID],
  ["evseMac", MAC],
  ["runId", RUN_ID],
  ["reserved", { bytes: 8 }],
] as const;

const ATTEN_CHAR_COMMON = [
  ["applicationType", "u8"],
  ["securityType", "u8"],
  ["sourceAddress", MAC],
  ["runId", RUN_ID],
  ["sourceId", STATION_ID],
  ["respId", STATION_ID],
] as const;

/** Every SLAC MME this codec understands: MMTYPE and payload fields, keyed by "NAME.SUFFIX". */
export const MME_SCHEMAS = {
  "CM_SET_KEY.REQ": {
    mmtype: CM_SET_KEY | MMTYPE_REQ,
    fields: [
      ["keyType", "u8"],
      ["myNonce", "u32le"],
      ["yourNonce", "u32le"],
      ["pid", "u8"],
      ["prn", "u16le"],
      ["pmn", "u8"],
      ["ccoCapability", "u8"],
      ["nid", { bytes: NID_LENGTH }],
      ["newEks", "u8"],
      ["newKey", { bytes: NMK_LENGTH }],
    ],
  },
  "CM_SET_KEY.CNF": {
    mmtype: CM_SET_KEY | MMTYPE_CNF,
    fields: [
      ["result", "u8"],
      ["myNonce", "u32le"],
      ["yourNonce", "u32le"],
      ["pid", "u8"],
      ["prn", "u16le"],
      ["pmn", "u8"],
      ["ccoCapability", "u8"],
    ],
  },
  "CM_AMP_MAP.REQ": {
    mmtype: CM_AMP_MAP | MMTYPE_REQ,
    fields: [
      ["amlen", "u16le"],
      ["amdata", { lengthFrom: "amlen", nibbles: true }],
    ],
  },
  "CM_AMP_MAP.CNF": { mmtype: CM_AMP_MAP | MMTYPE_CNF, fields: [["resType", "u8"]] },
  "CM_SLAC_PARM.REQ": {
    mmtype: CM_SLAC_PARM | MMTYPE_REQ,
    fields: [
      ["applicationType", "u8"],
      ["securityType", "u8"],
      ["runId", RUN_ID],
    ],
  },
  "CM_SLAC_PARM.CNF": {
    mmtype: CM_SLAC_PARM | MMTYPE_CNF,
    fields: [
      ["msoundTarget", MAC],
      ["numSounds", "u8"],
      ["timeOut", "u8"],
      ["respType", "u8"],
      ["forwardingSta", MAC],
      ["applicationType", "u8"],
      ["securityType", "u8"],
      ["runId", RUN_ID],
    ],
  },
  "CM_START_ATTEN_CHAR.IND": {
    mmtype: CM_START_ATTEN_CHAR | MMTYPE_IND,
    fields: [
      ["applicationType", "u8"],
      ["securityType", "u8"],
      ["numSounds", "u8"],
      ["timeOut", "u8"],
      ["respType", "u8"],
      ["forwardingSta", MAC],
      ["runId", RUN_ID],
    ],
  },
  "CM_MNBC_SOUND.IND": {
    mmtype: CM_MNBC_SOUND | MMTYPE_IND,
    fields: [
      ["applicationType", "u8"],
      ["securityType", "u8"],
      ["senderId", STATION_ID],
      ["count", "u8"],
      ["runId", RUN_ID],
      ["reserved", { bytes: 8 }],
      ["rnd", { bytes: MNBC_RND_LENGTH }],
    ],
  },
  "CM_ATTEN_PROFILE.IND": {
    mmtype: CM_ATTEN_PROFILE | MMTYPE_IND,
    fields: [
      ["pevMac", MAC],
      ["numGroups", "u8"],
      ["reserved", "u8"],
      ["aag", { lengthFrom: "numGroups" }],
    ],
  },
  "CM_ATTEN_CHAR.IND": {
    mmtype: CM_ATTEN_CHAR | MMTYPE_IND,
    fields: [
      ...ATTEN_CHAR_COMMON,
      ["numSounds", "u8"],
      ["numGroups", "u8"],
      ["aag", { lengthFrom: "numGroups" }],
    ],
  },
  "CM_ATTEN_CHAR.RSP": {
    mmtype: CM_ATTEN_CHAR | MMTYPE_RSP,
    fields: [...ATTEN_CHAR_COMMON, ["result", "u8"]],
  },
  "CM_VALIDATE.REQ": {
    mmtype: CM_VALIDATE | MMTYPE_REQ,
    fields: [
      ["signalType", "u8"],
      ["timer", "u8"],
      ["result", "u8"],
    ],
  },
  "CM_VALIDATE.CNF": {
    mmtype: CM_VALIDATE | MMTYPE_CNF,
    fields: [
      ["signalType", "u8"],
      ["toggleNum", "u8"],
      ["result", "u8"],
    ],
  },
  "CM_SLAC_MATCH.REQ": { mmtype: CM_SLAC_MATCH | MMTYPE_REQ, fields: SLAC_MATCH_COMMON },
  "CM_SLAC_MATCH.CNF": {
    mmtype: CM_SLAC_MATCH | MMTYPE_CNF,
    fields: [
      ...SLAC_MATCH_COMMON,
      ["nid", { bytes: NID_LENGTH }],
      ["reserved2", "u8"],
      ["nmk", { bytes: NMK_LENGTH }],
    ],
  },
} as const satisfies Record<string, { mmtype: number; fields: readonly FieldSpec[] }>;

/** Name of a known SLAC MME, e.g. "CM_SLAC_PARM.REQ". */
export type KnownMmeKind = keyof typeof MME_SCHEMAS;

type FieldValue<K> = K extends "u8" | "u16le" | "u32le" ? number : Uint8Array;
type FieldsOf<F extends readonly FieldSpec[]> = { [E in F[number] as E[0]]: FieldValue<E[1]> };

/** Header fields common to every MME: MMV (default 0x01 on encode) and, for MMV ≥ 1, FMI/FMSN (default 0). */
export interface MmeHeader {
  mmv?: number;
  fmi?: number;
  fmsn?: number;
}

/** A decoded SLAC MME of kind `K`: `{ kind, ...header, ...fields }`. */
export type MmeOf<K extends KnownMmeKind> = { kind: K } & MmeHeader &
  FieldsOf<(typeof MME_SCHEMAS)[K]["fields"]>;

/** Any MME not in {@link MME_SCHEMAS} (e.g. QCA vendor 0xA0xx), kept as raw payload bytes (after FMI/FMSN). */
export interface UnknownMme extends MmeHeader {
  kind: "unknown";
  mmv: number;
  mmtype: number;
  payload: Uint8Array;
}

/** Any MME: a known SLAC MME or an unknown one. */
export type Mme = { [K in KnownMmeKind]: MmeOf<K> }[KnownMmeKind] | UnknownMme;

/** MMTYPE → kind, for decoding. */
export const MME_KIND_BY_MMTYPE: ReadonlyMap<number, KnownMmeKind> = new Map(
  (Object.keys(MME_SCHEMAS) as KnownMmeKind[]).map((k) => [MME_SCHEMAS[k].mmtype, k]),
);
