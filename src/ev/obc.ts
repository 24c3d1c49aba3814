/**
 * On-board charger (OBC) model: the AC input window (ANSI C84.1 range B, 104–293 V: a SAE J3400 requirement
 * per an SAE J3400-2023 overview page, unconfirmed) and a conversion-loss model. The loss model is ours
 * (status D, a design choice): a constant no-load loss plus a part proportional to input power,
 * giving ≈ 94–95 % at 7–11 kW, typical of published OBC efficiency curves.
 */

/** Lowest AC input voltage the OBC accepts: ANSI C84.1 range B minimum of 120 V nominal. SAE J3400 (overview page); unconfirmed. */
export const OBC_INPUT_MIN_V = 104;
/** Highest AC input voltage the OBC accepts: ANSI C84.1 range B maximum of 277 V nominal. SAE J3400 (overview page); unconfirmed. */
export const OBC_INPUT_MAX_V = 293;
/** Below this the inlet is considered dead (no AC present), not "out of range". Design choice (D). */
export const OBC_AC_PRESENT_MIN_V = 20;
/** OBC no-load loss while converting (W). Design choice (D). */
export const OBC_NO_LOAD_LOSS_W = 40;
/** OBC loss proportional to input power (fraction). Design choice (D). */
export const OBC_PROPORTIONAL_LOSS = 0.05;
/** Default OBC maximum input current (A): the J3400 AC connector rating of 48 A. Tesla's AC connector datasheet, as listed by a public NACS project. */
export const OBC_DEFAULT_MAX_CURRENT_A = 48;

/** What the OBC makes of the inlet voltage. */
export type ObcSupplyVerdict = "absent" | "ok" | "undervoltage" | "overvoltage";

/** Classify the AC inlet voltage against the 104–293 V window (ANSI C84.1 range B). */
export function obcSupplyVerdict(volts: number): ObcSupplyVerdict {
  if (!(volts >= OBC_AC_PRESENT_MIN_V)) return "absent";
  if (volts < OBC_INPUT_MIN_V) return "undervoltage";
  if (volts > OBC_INPUT_MAX_V) return "overvoltage";
  return "ok";
}

/** OBC losses (W) for an AC input power (W). Zero when idle. */
export function obcLossW(inputW: number): number {
  if (inputW <= 0) return 0;
  return Math.min(inputW, OBC_NO_LOAD_LOSS_W + OBC_PROPORTIONAL_LOSS * inputW);
}

/** DC output power (W) for an AC input power (W): input minus {@link obcLossW}. */
export function obcOutputW(inputW: number): number {
  return Math.max(0, inputW - obcLossW(inputW));
}

/** AC input power (W) needed to deliver `outputW` to the battery (inverse of {@link obcOutputW}). */
export function obcInputForOutputW(outputW: number): number {
  if (outputW <= 0) return 0;
  return (outputW + OBC_NO_LOAD_LOSS_W) / (1 - OBC_PROPORTIONAL_LOSS);
}
