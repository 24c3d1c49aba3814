/**
 * AC/DC interlock of the two J3400 power pins (SAE J3400 adds interlocks so only one power path (AC or DC)
 * can be active at a time, per Electronic Design's NACS/J3400 article). The pins are configured for one path;
 * the other path can never be energised, and the configuration cannot change while a path is energised.
 */

/** What the power pins are wired to. */
export type PinConfig = "ac" | "dc" | "none";
/** A power path. */
export type PowerPath = "ac" | "dc";

/** Interlock state. */
export interface Interlock {
  readonly pins: PinConfig;
  readonly energised: PowerPath | null;
}

/** Result of an interlock request. */
export type InterlockResult =
  | { ok: true; state: Interlock }
  | { ok: false; state: Interlock; reason: string };

/** A fresh interlock with the pins configured for `pins`. */
export function createInterlock(pins: PinConfig): Interlock {
  return { pins, energised: null };
}

/** Energise `path`: only when the pins are configured for it and nothing else is energised. */
export function energise(il: Interlock, path: PowerPath): InterlockResult {
  if (il.pins !== path)
    return { ok: false, state: il, reason: `pins configured for ${il.pins}, ${path} refused` };
  if (il.energised !== null && il.energised !== path)
    return { ok: false, state: il, reason: `${il.energised} energised, ${path} refused` };
  return { ok: true, state: { ...il, energised: path } };
}

/** De-energise (always allowed). */
export function deEnergise(il: Interlock): Interlock {
  return { ...il, energised: null };
}

/** Reconfigure the pins: refused while a path is energised. */
export function configurePins(il: Interlock, pins: PinConfig): InterlockResult {
  if (il.energised !== null)
    return { ok: false, state: il, reason: `${il.energised} energised, pins stay ${il.pins}` };
  return { ok: true, state: { ...il, pins } };
}
