/**
 * SessionID helpers (DIN 70121 / ISO 15118-2 header SessionID, 8 bytes; 0 in the first SessionSetupReq). IDs
 * come from a seeded xorshift32 generator kept in the machine state, so the machines stay pure and
 * reproducible; hosts seed it from a real entropy source.
 */

/** Length of an assigned SessionID (bytes): 8 bytes / 16 hex chars (EcoG-io/iso15118 header.py). */
export const SESSION_ID_LENGTH = 8;

/** The all-zero SessionID the EVCC sends before one is assigned. */
export const SESSION_ID_ZERO: Uint8Array = new Uint8Array(1);

/** One xorshift32 step (never returns 0 for a non-zero input). */
export function xorshift32(x: number): number {
  let y = x | 0 || 0x9e3779b9;
  y ^= y << 13;
  y ^= y >>> 17;
  y ^= y << 5;
  return y >>> 0;
}

/**
 * A fresh non-zero SessionID of `length` bytes (1–8; the schemas' hexBinary maxLength 8) from generator state
 * `rng`; returns the ID and the next generator state. Shorter IDs exist in the field: a Tesla Supercharger
 * hands out 4-byte SessionIDs (uhi22/pyPLC capture 2023-03-02_SuperCharger_CableCheck_error.pcapng).
 */
export function newSessionId(rng: number, length = SESSION_ID_LENGTH): { id: Uint8Array; rng: number } {
  const n = Math.min(SESSION_ID_LENGTH, Math.max(1, Math.trunc(length)));
  const id = new Uint8Array(n);
  let r = rng;
  for (let i = 0; i < n; i += 4) {
    r = xorshift32(r);
    const word = [r >>> 24, (r >>> 16) & 0xff, (r >>> 8) & 0xff, r & 0xff];
    for (let k = 0; k < 4 && i + k < n; k++) id[i + k] = word[k]!;
  }
  if (isZeroId(id)) id[0] = 1;
  return { id, rng: r };
}

/** True when every byte is 0 (an EVCC without a session). */
export function isZeroId(id: Uint8Array): boolean {
  return id.every((b) => b === 0);
}

/** Byte-wise equality of two SessionIDs. */
export function sameId(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Upper-case hex, as SessionIDs are written in logs and XML. */
export function idHex(id: Uint8Array | null | undefined): string {
  if (!id) return "-";
  let s = "";
  for (const b of id) s += b.toString(16).padStart(2, "0");
  return s.toUpperCase();
}
