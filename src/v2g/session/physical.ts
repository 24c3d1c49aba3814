/**
 * PhysicalValue helpers shared by DIN 70121 and ISO 15118-2 (both Multiplier + Unit + Value; DIN's Unit is
 * optional, ISO-2's mandatory — the generated types agree on the shape). Wraps `src/codecs/values.ts`.
 */
import { numberToPhysicalValue, type PhysicalValueLike, physicalValueToNumber } from "../../codecs/index.js";

/** Units both DIN and ISO-2 know. */
export type CommonUnit = "h" | "m" | "s" | "A" | "V" | "W" | "Wh";

const SHORT_MIN = -32768;
const SHORT_MAX = 32767;

/**
 * Encode a number with a unit as a PhysicalValue: Multiplier 0 for whole numbers that fit xs:short (as most
 * stacks send them), otherwise the exact/closest representation with Multiplier in [-3, 3].
 */
export function pv<U extends CommonUnit>(x: number, unit: U): { Multiplier: number; Unit: U; Value: number } {
  if (Number.isInteger(x) && x >= SHORT_MIN && x <= SHORT_MAX) return { Multiplier: 0, Unit: unit, Value: x };
  return numberToPhysicalValue(x, unit);
}

/** The number a PhysicalValue stands for; `fallback` when absent. */
export function num(v: PhysicalValueLike | undefined, fallback = 0): number {
  return v ? physicalValueToNumber(v) : fallback;
}
