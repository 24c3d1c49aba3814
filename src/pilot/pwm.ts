/**
 * Duty cycle ↔ current (SAE J1772 / IEC 61851-1). EVSE side: the current to offer → duty. EV side: the
 * measured duty → what the EV may do, with the disputed J1772 / IEC band edges as named constants.
 */
import {
  DUTY_DIGITAL_COMM,
  DUTY_DIGITAL_MAX_PCT,
  DUTY_DIGITAL_MIN_PCT,
  DUTY_F,
  DUTY_IEC_MAX_80A_PCT,
  DUTY_IEC_MIN_6A_PCT,
  DUTY_J1772_MAX_80A_PCT,
  DUTY_J1772_MIN_6A_PCT,
  DUTY_X1,
  PWM_HIGH_A_PER_PCT,
  PWM_HIGH_OFFSET_PCT,
  PWM_HIGH_RANGE_MIN_A,
  PWM_LOW_A_PER_PCT,
  PWM_LOW_RANGE_MAX_A,
  PWM_MAX_CURRENT_A,
  PWM_MAX_CURRENT_PCT,
  PWM_MIN_CURRENT_A,
  PWM_MIN_CURRENT_PCT,
  PWM_RANGE_SPLIT_PCT,
} from "./constants.js";

export { DUTY_DIGITAL_COMM };

/**
 * EVSE side (formulas as in OpenEVSE, Tinkerforge, EVerest): current to offer → duty in percent, or null
 * when out of range (no PWM offered; EVerest then shows 100 %). 6–51 A: d = I / 0.6; 52.5–80 A:
 * d = I / 2.5 + 64. The 51…52.5 A gap has no exact duty; like EVerest (EvseManager Charger.cpp, "weird gap
 * in norm") we clamp it to 51 A, i.e. 85 % (52.5 A also gives 85 %, read back as 51 A: see
 * {@link offeredCurrent}). Round trip dutyToCurrent(currentToDuty(I)) ≈ I holds
 * on 6–51 A and 52.5 < I ≤ 80 A.
 * Out of range is strictly I < 6 A or I > 80 A (EVerest's 5.9/80.1 A slack is not applied).
 */
export function currentToDuty(amps: number): number | null {
  if (!Number.isFinite(amps) || amps < PWM_MIN_CURRENT_A || amps > PWM_MAX_CURRENT_A) return null;
  if (amps <= PWM_LOW_RANGE_MAX_A) return amps / PWM_LOW_A_PER_PCT;
  if (amps < PWM_HIGH_RANGE_MIN_A) return PWM_LOW_RANGE_MAX_A / PWM_LOW_A_PER_PCT;
  return amps / PWM_HIGH_A_PER_PCT + PWM_HIGH_OFFSET_PCT;
}

/**
 * The current an EV reads back for a request (after the 51…52.5 A clamp), or null when none is offered.
 * 52.5 A itself maps to 85 %, which the EV reads with the low formula (10 % ≤ d ≤ 85 %, SAE J1772 /
 * IEC 61851-1) as 51 A, so the gap is effectively 51 A < I ≤ 52.5 A.
 */
export function offeredCurrent(amps: number): number | null {
  if (currentToDuty(amps) === null) return null;
  return amps > PWM_LOW_RANGE_MAX_A && amps <= PWM_HIGH_RANGE_MIN_A ? PWM_LOW_RANGE_MAX_A : amps;
}

/** EV side meaning of a measured duty (SAE J1772 / IEC 61851-1). */
export type DutyMeaning =
  | { kind: "current"; amps: number }
  | { kind: "digital" }
  | { kind: "no-charging"; reason: string }
  | { kind: "x1" }
  | { kind: "f" };

/** Which reading of the disputed band edges (SAE J1772-2017 vs IEC 61851-1, unconfirmed) the EV applies. */
export type DutyProfile = "j1772" | "iec";

/** Band edges of a profile: lowest duty meaning 6 A and highest duty meaning 80 A. */
export interface DutyBandEdges {
  min6A: number;
  max80A: number;
}

/** Disputed edges per profile: J1772-2017 per a public firmware (9.5 %, 96.5 %), IEC believed (8 %, 97 %). */
export const DUTY_BAND_EDGES: Readonly<Record<DutyProfile, DutyBandEdges>> = Object.freeze({
  j1772: Object.freeze({ min6A: DUTY_J1772_MIN_6A_PCT, max80A: DUTY_J1772_MAX_80A_PCT }),
  iec: Object.freeze({ min6A: DUTY_IEC_MIN_6A_PCT, max80A: DUTY_IEC_MAX_80A_PCT }),
});

/**
 * EV side (SAE J1772 / IEC 61851-1): measured duty → what the EV may do. 0 % ⇒ F; 100 % ⇒ X1; < 3 % no
 * charging; 3–7 % digital communication (HLC) required; 7…min6A no charging; min6A…10 % ⇒ 6 A;
 * 10–85 % ⇒ 0.6·d; 85–96 % ⇒ 2.5·(d − 64); 96…max80A ⇒ 80 A; above no charging. `profile` defaults to
 * "j1772".
 */
export function dutyToCurrent(duty: number, profile: DutyProfile = "j1772"): DutyMeaning {
  const edges = DUTY_BAND_EDGES[profile];
  if (!Number.isFinite(duty)) return { kind: "no-charging", reason: `duty ${duty} is not a number` };
  if (duty <= DUTY_F) return { kind: "f" };
  if (duty >= DUTY_X1) return { kind: "x1" };
  if (duty < DUTY_DIGITAL_MIN_PCT) return { kind: "no-charging", reason: `duty ${duty} % below 3 %` };
  if (duty <= DUTY_DIGITAL_MAX_PCT) return { kind: "digital" };
  if (duty < edges.min6A) {
    return { kind: "no-charging", reason: `duty ${duty} % between 7 % and ${edges.min6A} % (${profile})` };
  }
  if (duty < PWM_MIN_CURRENT_PCT) return { kind: "current", amps: PWM_MIN_CURRENT_A };
  if (duty <= PWM_RANGE_SPLIT_PCT) return { kind: "current", amps: duty * PWM_LOW_A_PER_PCT };
  if (duty <= PWM_MAX_CURRENT_PCT) {
    return { kind: "current", amps: (duty - PWM_HIGH_OFFSET_PCT) * PWM_HIGH_A_PER_PCT };
  }
  if (duty <= edges.max80A) return { kind: "current", amps: PWM_MAX_CURRENT_A };
  return { kind: "no-charging", reason: `duty ${duty} % above ${edges.max80A} % (${profile})` };
}
