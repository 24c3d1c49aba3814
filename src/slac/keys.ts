/**
 * HomePlug AV network keys: NMK (network membership key) generation and derivation from a password, and
 * the NID (network identifier) derived from an NMK. Pure code; randomness is injected.
 */
import { SlacError } from "./errors.js";
import { sha256 } from "./sha256.js";

/** NMK length in bytes (AES-128 key). EVerest libslac `NMK_LEN = 16`. */
export const NMK_LENGTH = 16;
/** NID length in bytes (54 bits used). EVerest libslac `NID_LEN = 7`. */
export const NID_LENGTH = 7;
/**
 * PBKDF1 salt for an NMK from a network password (NPW). HomePlug AV 1.1 §13.10.7.1 as coded in
 * EVerest libslac `NMK_HASH` and open-plc-utils `HPAVKeyNMK` (the DAK salt ends in 0x85 instead).
 */
export const NMK_PASSWORD_SALT: readonly number[] = [0x08, 0x85, 0x6d, 0xaf, 0x7c, 0xf5, 0x81, 0x86];
/** PBKDF1-SHA-256 iterations for an NMK from a password (first hash + 999 rehashes). open-plc-utils `HPAVKeyNMK`. */
export const NMK_PASSWORD_ITERATIONS = 1000;
/** PBKDF1-SHA-256 iterations (no salt) for an NID from an NMK. EVerest libslac `generate_nid_from_nmk`. */
export const NID_ITERATIONS = 5;
/** Security level written into the NID top bits: 0b00 = simple connect. EVerest libslac `NID_SECURITY_LEVEL_SIMPLE_CONNECT`. */
export const NID_SECURITY_LEVEL_SIMPLE_CONNECT = 0b00;

/** A source of random bytes, e.g. `(n) => crypto.getRandomValues(new Uint8Array(n))`. */
export type RandomSource = (n: number) => Uint8Array;

/** PBKDF1 with SHA-256: hash(input ‖ salt), then rehash `iterations − 1` times; returns the full digest. */
function pbkdf1Sha256(input: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  let d = sha256(input, salt);
  for (let i = 1; i < iterations; i++) d = sha256(d);
  return d;
}

/** A fresh random NMK (16 bytes) from the injected random source (EVSE side, before CM_SET_KEY). */
export function generateNmk(random: RandomSource): Uint8Array {
  const r = random(NMK_LENGTH);
  if (!(r instanceof Uint8Array) || r.length < NMK_LENGTH) {
    throw new SlacError("bad-key", `random source returned ${r?.length ?? "no"} bytes, need ${NMK_LENGTH}`);
  }
  return r.slice(0, NMK_LENGTH);
}

/**
 * NID from an NMK: PBKDF1-SHA-256 with no salt and 5 iterations, first 7 bytes, where byte 6 keeps only
 * its top 4 bits (shifted down) and the security level goes into bits 4–5 — i.e. 52 hash bits + 2 level
 * bits. EVerest libslac `generate_nid_from_nmk`, open-plc-utils `HPAVKeyNID`.
 */
export function nidFromNmk(nmk: Uint8Array, securityLevel = NID_SECURITY_LEVEL_SIMPLE_CONNECT): Uint8Array {
  if (nmk.length !== NMK_LENGTH) {
    throw new SlacError("bad-key", `nmk: length ${nmk.length}, must be ${NMK_LENGTH} bytes`);
  }
  if (!Number.isInteger(securityLevel) || securityLevel < 0 || securityLevel > 3) {
    throw new SlacError("bad-key", `securityLevel: ${securityLevel}, must be an integer 0..3`);
  }
  const d = pbkdf1Sha256(nmk, new Uint8Array(0), NID_ITERATIONS);
  const nid = d.slice(0, NID_LENGTH);
  nid[NID_LENGTH - 1] = (nid[NID_LENGTH - 1]! >> 4) | (securityLevel << 4);
  return nid;
}

/**
 * NMK from a network password (UTF-8): PBKDF1-SHA-256 over password ‖ {@link NMK_PASSWORD_SALT},
 * {@link NMK_PASSWORD_ITERATIONS} iterations, first 16 bytes. Vector: "HomePlugAV0123" →
 * b59319d7e8157ba001b018669ccee30d (NID 026bcba5354e08).
 */
export function nmkFromPassword(password: string): Uint8Array {
  const pw = new TextEncoder().encode(password);
  return pbkdf1Sha256(pw, Uint8Array.from(NMK_PASSWORD_SALT), NMK_PASSWORD_ITERATIONS).slice(0, NMK_LENGTH);
}
