/**
 * Helpers for the numeric value types of the V2G schemas: DIN/ISO-2 `PhysicalValueType`
 * (Value × 10^Multiplier, with Unit) and ISO 15118-20 `RationalNumberType` (Value × 10^Exponent).
 */

/** DIN 70121 / ISO 15118-2 PhysicalValueType shape (Unit optional in DIN). */
export interface PhysicalValueLike {
  Multiplier: number;
  Unit?: string;
  Value: number;
}

/** ISO 15118-20 RationalNumberType shape. */
export interface RationalNumberLike {
  Exponent: number;
  Value: number;
}

/** The number a PhysicalValue stands for: Value × 10^Multiplier. */
export function physicalValueToNumber(pv: PhysicalValueLike): number {
  return scale(pv.Value, pv.Multiplier);
}

/**
 * Encode a number as a PhysicalValue: the smallest Multiplier in [-3, 3] (unitMultiplierType) whose Value
 * fits xs:short exactly; otherwise the closest representation with the largest multiplier that fits.
 */
export function numberToPhysicalValue<U extends string>(
  x: number,
  unit: U,
): { Multiplier: number; Unit: U; Value: number } {
  const { exp, value } = toScaled(x, -3, 3, -32768, 32767);
  return { Multiplier: exp, Unit: unit, Value: value };
}

/** The number a RationalNumber stands for: Value × 10^Exponent. */
export function rationalToNumber(r: RationalNumberLike): number {
  return scale(r.Value, r.Exponent);
}

/** Encode a number as a RationalNumber (Exponent: xs:byte, Value: xs:short), exact when possible. */
export function numberToRational(x: number): { Exponent: number; Value: number } {
  const { exp, value } = toScaled(x, -128, 127, -32768, 32767);
  return { Exponent: exp, Value: value };
}

function scale(v: number, e: number): number {
  // avoid 0.1-style binary error for negative exponents: divide by an exact power of ten
  return e >= 0 ? v * 10 ** e : v / 10 ** -e;
}

function toScaled(
  x: number,
  minE: number,
  maxE: number,
  minV: number,
  maxV: number,
): { exp: number; value: number } {
  if (!Number.isFinite(x)) throw new RangeError(`cannot represent ${x}`);
  for (let e = Math.max(minE, -6); e <= maxE; e++) {
    const v = scale(x, -e);
    const r = Math.round(v);
    // exact — but a non-zero x scaled below the 1e-9 tolerance is not "exactly 0" (29999.4 is not 0 × 10^14)
    if (r >= minV && r <= maxV && (r !== 0 || x === 0) && Math.abs(v - r) < 1e-9 * Math.max(1, Math.abs(v)))
      return { exp: e, value: r };
  }
  for (let e = Math.max(minE, -6); e <= maxE; e++) {
    const r = Math.round(scale(x, -e));
    if (r >= minV && r <= maxV) return { exp: e, value: r };
  }
  throw new RangeError(`${x} is outside the representable range`);
}
