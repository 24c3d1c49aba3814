/**
 * SessionID helpers (digest §5.2 row 1: header SessionID, 8 bytes; 0 in the first SessionSetupReq). IDs
 * come from a seeded xorshift32 generator kept in the machine state, so the machines stay pure and
 * reproducible; hosts seed it from a real entropy source.
 */

/** Length of an assigned SessionID (bytes). Digest §5.2 row 1 ("8 bytes / 16 hex chars"). */
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

/** A fresh non-zero SessionID from generator state `rng`; returns the ID and the next generator state. */
export function newSessionId(rng: number): { id: Uint8Array; rng: number } {
  const id = new Uint8Array(SESSION_ID_LENGTH);
  let r = rng;
  for (let i = 0; i < SESSION_ID_LENGTH; i += 4) {
    r = xorshift32(r);
    id[i] = r >>> 24;
    id[i + 1] = (r >>> 16) & 0xff;
    id[i + 2] = (r >>> 8) & 0xff;
    id[i + 3] = r & 0xff;
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
