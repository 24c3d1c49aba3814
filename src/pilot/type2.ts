/**
 * IEC 62196 Type 2 PP cable coding, for comparison with J1772/J3400 and for the Type 2 rows of
 * the connector catalogue. Uses the accepted ranges of the EVerest bring-up guide (everest-core basic.rst).
 */
import {
  T2_ERROR_ABOVE_OHM,
  T2_ERROR_BELOW_OHM,
  T2_RANGE_13A_OHM,
  T2_RANGE_20A_OHM,
  T2_RANGE_32A_OHM,
  T2_RANGE_63A_OHM,
} from "./pp-constants.js";

/** Cable ampacity coded by the Type 2 PP resistor (63 means 63 A three-phase / 70 A single-phase). */
export type Type2Ampacity = 13 | 20 | 32 | 63;

/** The coding bands, highest resistance (lowest ampacity) first. EVerest bring-up guide. */
export const TYPE2_PP_BANDS: ReadonlyArray<{ amps: Type2Ampacity; min: number; max: number }> = Object.freeze(
  [
    { amps: 13, min: T2_RANGE_13A_OHM[0], max: T2_RANGE_13A_OHM[1] },
    { amps: 20, min: T2_RANGE_20A_OHM[0], max: T2_RANGE_20A_OHM[1] },
    { amps: 32, min: T2_RANGE_32A_OHM[0], max: T2_RANGE_32A_OHM[1] },
    { amps: 63, min: T2_RANGE_63A_OHM[0], max: T2_RANGE_63A_OHM[1] },
  ],
);

/**
 * Classify a Type 2 PP–PE resistance (EVerest bring-up guide): < 60 Ω or > 4500 Ω (or NaN) ⇒ null ("None");
 * inside a band ⇒ that band; between two bands ⇒ the lower ampacity (the band with higher resistance);
 * 2460…4500 Ω ⇒ 13 A; 60…80 Ω ⇒ 63 A (the only neighbouring band).
 */
export function classifyType2Pp(ohms: number): Type2Ampacity | null {
  if (!Number.isFinite(ohms) || ohms < T2_ERROR_BELOW_OHM || ohms > T2_ERROR_ABOVE_OHM) return null;
  // Walk from the highest-resistance band down: the first band whose lower neighbour's upper edge is below
  // `ohms` takes it, so gaps fall to the band above (lower ampacity).
  for (let i = 0; i < TYPE2_PP_BANDS.length; i++) {
    const next = TYPE2_PP_BANDS[i + 1];
    if (next === undefined || ohms > next.max)
      return (TYPE2_PP_BANDS[i] as (typeof TYPE2_PP_BANDS)[number]).amps;
  }
  return null;
}
