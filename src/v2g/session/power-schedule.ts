/**
 * A backend power schedule (e.g. the OCPP 2.0.1 composite schedule, K08 / K15) as the entries of the SECC's
 * schedule: ISO 15118-2 / DIN 70121 SAScheduleList PMaxScheduleEntry (RelativeTimeIntervalType: start from now,
 * the last entry with the duration) and ISO 15118-20 PowerScheduleEntry (a Duration each). Periods that
 * began before now start at 0, starts are whole seconds, a limit is capped by the charger's rating, equal
 * neighbours merge; the last period runs to the end of the schedule. Pure code.
 */
import type { PowerSchedule, PowerSchedulePeriod } from "../ports/secc-ports.js";
import { type SeccState, setTimer } from "./secc-state.js";
import type { SeccEffect } from "./types.js";

/**
 * Most entries of one schedule: ISO 15118-2 PMaxSchedule (PMaxScheduleEntry maxOccurs 1024,
 * V2G_CI_MsgDataTypes.xsd) and ISO 15118-20 PowerScheduleEntryList (1024); DIN 70121 leaves it unbounded.
 */
export const MAX_SCHEDULE_ENTRIES = 1024;

/** One entry: from `startS` after now, `durationS` long, at most `powerW`. */
export interface ScheduleEntry {
  startS: number;
  durationS: number;
  powerW: number;
}

/**
 * The entries of the next `horizonS` seconds from `nowMs`, at most `maxEntries` (the later periods left out,
 * the schedule then ends where the first one left out would begin). No schedule: one entry at `ratedW`.
 */
export function scheduleEntries(
  sched: PowerSchedule | null | undefined,
  nowMs: number,
  ratedW: number,
  horizonS: number,
  maxEntries = MAX_SCHEDULE_ENTRIES,
): ScheduleEntry[] {
  if (!sched || sched.periods.length === 0) return [{ startS: 0, durationS: horizonS, powerW: ratedW }];
  // before the schedule's first period nothing limits but the rating
  const starts: { startS: number; powerW: number }[] = [{ startS: 0, powerW: ratedW }];
  for (const p of sched.periods) {
    // a host that skipped powerScheduleProblem: a period without a finite start is left out, not encoded
    if (!Number.isFinite(p.startS)) continue;
    const startS = Math.max(0, Math.round((sched.atMs - nowMs) / 1000 + p.startS));
    if (startS >= horizonS) break;
    const powerW = Number.isFinite(p.limitW) ? Math.max(0, Math.min(ratedW, p.limitW!)) : ratedW;
    // a later period of the same second replaces the earlier one (which lasted less than a second)
    while (starts.length > 0 && starts[starts.length - 1]!.startS >= startS) starts.pop();
    if (starts.length > 0 && starts[starts.length - 1]!.powerW === powerW) continue;
    starts.push({ startS, powerW });
  }
  const kept = starts.slice(0, maxEntries);
  const endS = starts.length > maxEntries ? starts[maxEntries]!.startS : horizonS;
  return kept.map((e, i) => ({ ...e, durationS: (kept[i + 1]?.startS ?? endS) - e.startS }));
}

/** The limit of a schedule at the instant `tMs` (null: no limit, or before it starts). */
function limitAt(s: PowerSchedule, tMs: number): number | null | undefined {
  let limit: number | null | undefined;
  for (const p of s.periods) if (s.atMs + p.startS * 1000 <= tMs) limit = p.limitW;
  return limit;
}

/**
 * Whether two schedules limit the same from `nowMs` on, over the time both cover (`horizonS` from each
 * start): a schedule handed again unchanged is no reason to renegotiate.
 */
export function sameSchedule(
  a: PowerSchedule | null,
  b: PowerSchedule | null,
  nowMs: number,
  horizonS: number,
): boolean {
  if (a === null || b === null) return a === b;
  const endMs = Math.min(a.atMs, b.atMs) + horizonS * 1000;
  const instants = [nowMs];
  for (const s of [a, b]) for (const p of s.periods) instants.push(s.atMs + p.startS * 1000);
  return instants.filter((t) => t >= nowMs && t < endMs).every((t) => limitAt(a, t) === limitAt(b, t));
}

/**
 * Why periods from the backend cannot be a schedule (the field and the rule), or null: each `startS` a finite
 * number ≥ 0, ascending; each `limitW` null or a finite number ≥ 0.
 */
export function powerScheduleProblem(periods: readonly PowerSchedulePeriod[]): string | null {
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    if (!(Number.isFinite(p.startS) && p.startS >= 0))
      return `periods[${i}].startS ${p.startS}: must be a finite number ≥ 0`;
    if (i > 0 && !(p.startS > periods[i - 1]!.startS))
      return `periods[${i}].startS ${p.startS}: must be greater than the period before (ascending)`;
    if (p.limitW !== null && !(Number.isFinite(p.limitW) && p.limitW >= 0))
      return `periods[${i}].limitW ${p.limitW}: must be null or a finite number ≥ 0`;
  }
  return null;
}

/**
 * Whether the SECC can ask this session's EV to renegotiate its schedule: ISO 15118-2 (EVSENotification
 * ReNegotiation), or ISO 15118-20 in Scheduled mode with schedule renegotiation on (ScheduleRenegotiation).
 * DIN 70121 has none; -20 Dynamic mode follows the limits of each charge-loop response instead.
 */
export function renegotiationDefined(s: SeccState): boolean {
  if (s.protocol === "iso2") return true;
  return s.protocol === "iso20" && s.cfg.iso20ScheduleRenegotiation && s.iso20?.controlMode === "scheduled";
}

/**
 * Whether a changed schedule should make the SECC ask for a renegotiation now: the session is in its charge
 * loop (PowerDelivery Start answered), renegotiation is defined, and no notification is pending.
 */
export function wantsRenegotiation(s: SeccState): boolean {
  return (
    s.conn === "session" &&
    s.powerDelivery === "start" &&
    !s.emergency &&
    s.notification === "None" &&
    renegotiationDefined(s)
  );
}

/** The time the SECC's schedules cover (s): one day, as the single-day entry without a backend schedule. */
export const SCHEDULE_HORIZON_S = 86_400;

/** The SECC sent the EV a schedule made of the present backend schedule (ChargeParameterDiscovery / ScheduleExchange). */
export function noteScheduleSent(s: SeccState): SeccState {
  return { ...s, scheduleSent: s.readings.powerSchedule ?? null };
}

/**
 * Ask the EV to renegotiate (EVSENotification ReNegotiation / ScheduleRenegotiation, NotificationMaxDelay
 * timer) when the backend's schedule limits differently from now on than the one its schedule was made of
 * and the session is where it can ({@link wantsRenegotiation}): called when the backend hands a schedule and
 * when the charge loop begins (a schedule that came between ChargeParameterDiscovery and PowerDelivery).
 */
export function renegotiateIfStale(s: SeccState, fx: SeccEffect[]): SeccState {
  if (!wantsRenegotiation(s)) return s;
  if (sameSchedule(s.scheduleSent ?? null, s.readings.powerSchedule ?? null, s.nowMs, SCHEDULE_HORIZON_S))
    return s;
  fx.push({
    kind: "log",
    level: "info",
    msg: "the backend's schedule changed in the charge loop: renegotiation",
  });
  const st: SeccState = { ...s, notification: "ReNegotiation" };
  return setTimer(st, "notification", s.nowMs + s.cfg.notificationMaxDelayS * 1000, fx);
}
