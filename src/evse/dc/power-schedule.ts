/**
 * The backend's power schedule (e.g. the OCPP 2.0.1 composite schedule of the next 24 h, K08; K15 "ISO 15118
 * charging with a charging profile"): kept beside the run-time power limit and handed to the SECC, whose
 * ISO 15118-2 / DIN 70121 SAScheduleList and ISO 15118-20 Scheduled-mode PowerSchedule carry one entry per
 * period. A schedule that limits differently from now on, arriving while the EV is in its charge loop, makes
 * the SECC ask for a renegotiation: ISO 15118-2 EVSENotification ReNegotiation, ISO 15118-20 Scheduled mode
 * ScheduleRenegotiation, each with NotificationMaxDelay. DIN 70121 has no renegotiation and -20 Dynamic mode
 * needs none: there the loop's limits follow the run-time limit (power-limit.ts). Pure code.
 */
import { type PowerSchedule, type PowerSchedulePeriod, powerScheduleProblem } from "../../v2g/index.js";
import { secc } from "./secc-glue.js";
import type { EvseDcState } from "./state.js";
import type { EvseDcEffect } from "./types.js";

/**
 * Set (periods from `tMs`) or clear (null) the backend's power schedule; the SECC renegotiates when it
 * changed from the one the EV has.
 */
export function setPowerSchedule(
  s0: EvseDcState,
  periods: readonly PowerSchedulePeriod[] | null,
  tMs: number,
  fx: EvseDcEffect[],
): EvseDcState {
  const problem = periods === null ? null : powerScheduleProblem(periods);
  if (problem !== null) {
    fx.push({ kind: "log", level: "warn", msg: `power schedule refused: ${problem}` });
    return s0;
  }
  const next: PowerSchedule | null =
    periods === null || periods.length === 0 ? null : { atMs: tMs, periods: [...periods] };
  const s: EvseDcState = { ...s0, powerSchedule: next };
  fx.push({
    kind: "log",
    level: "info",
    msg: next
      ? `power schedule: ${next.periods.map((p) => `+${p.startS} s ${p.limitW === null ? "no limit" : `${p.limitW / 1000} kW`}`).join(", ")}`
      : "power schedule cleared",
  });
  // the SECC keeps it and asks for a renegotiation when the EV's schedule is no longer it
  return secc(s, { kind: "port", readings: { powerSchedule: next }, tMs }, fx);
}
