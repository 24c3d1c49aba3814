/**
 * Smart charging: which installed charging profiles apply now, and the one power limit they compose to
 * (OCPP 2.0.1 Part 2 use cases K01 SetChargingProfile, K08 Get Composite Schedule, and the profile-stacking
 * rules of the Smart Charging functional block): per purpose the valid profile of the highest stackLevel
 * with a period at this time wins; a TxProfile of the running transaction overrides the TxDefaultProfile; the
 * composite is the lowest of ChargingStationMaxProfile, ChargingStationExternalConstraints and the
 * transaction's profile. Pure code.
 */
import type { ChargingProfile, ChargingProfilePurpose, InstalledProfile, SchedulePeriod } from "./types.js";

export type { SchedulePeriod };

const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;

/** The transaction the profiles may be for: its id and when it started (ms). */
export interface TxContext {
  transactionId: string;
  startedMs: number;
}

/** When a profile's first schedule starts (ms), and how long it lasts (s, Infinity without `duration`). */
function scheduleStart(ip: InstalledProfile, tx: TxContext | null): number | null {
  const p = ip.profile;
  const s = p.chargingSchedule[0];
  if (!s) return null;
  if (p.chargingProfileKind === "Relative") return tx?.startedMs ?? ip.receivedMs;
  const parsed = s.startSchedule !== undefined ? Date.parse(s.startSchedule) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : ip.receivedMs;
}

/**
 * The limit of one profile at `nowMs` in its own unit, or null when it has no period then: outside
 * validFrom / validTo, before its start, after its duration.
 */
export function profileLimitAt(ip: InstalledProfile, nowMs: number, tx: TxContext | null): number | null {
  const p = ip.profile;
  const s = p.chargingSchedule[0];
  if (!s) return null;
  if (p.validFrom !== undefined && nowMs < Date.parse(p.validFrom)) return null;
  if (p.validTo !== undefined && nowMs >= Date.parse(p.validTo)) return null;
  const start = scheduleStart(ip, tx);
  if (start === null) return null;
  let elapsedS = (nowMs - start) / 1000;
  if (elapsedS < 0) return null;
  if (p.chargingProfileKind === "Recurring") elapsedS %= p.recurrencyKind === "Weekly" ? WEEK_S : DAY_S;
  if (s.duration !== undefined && elapsedS >= s.duration) return null;
  let limit: number | null = null;
  let from = Number.NEGATIVE_INFINITY;
  for (const period of s.chargingSchedulePeriod) {
    if (period.startPeriod <= elapsedS && period.startPeriod >= from) {
      from = period.startPeriod;
      limit = period.limit;
    }
  }
  return limit;
}

/** Whether an installed profile is for this EVSE (or the whole station) and, for a TxProfile, this transaction. */
function appliesTo(ip: InstalledProfile, evseId: number, tx: TxContext | null): boolean {
  if (ip.evseId !== 0 && ip.evseId !== evseId) return false;
  const p = ip.profile;
  if (p.chargingProfilePurpose === "TxProfile")
    return tx !== null && (p.transactionId === undefined || p.transactionId === tx.transactionId);
  if (p.chargingProfilePurpose === "TxDefaultProfile") return tx !== null;
  return true;
}

/** The winning limit of one purpose: the highest stackLevel that has a period now (W), or null. */
function purposeLimitW(
  profiles: readonly InstalledProfile[],
  purpose: ChargingProfilePurpose,
  evseId: number,
  nowMs: number,
  tx: TxContext | null,
): { limitW: number; id: number } | null {
  let best: { level: number; limitW: number; id: number } | null = null;
  for (const ip of profiles) {
    if (ip.profile.chargingProfilePurpose !== purpose || !appliesTo(ip, evseId, tx)) continue;
    // units in A are refused when the profile is set (a DC station limits power), see validateProfile
    if (ip.profile.chargingSchedule[0]?.chargingRateUnit !== "W") continue;
    const limit = profileLimitAt(ip, nowMs, tx);
    if (limit === null) continue;
    const level = ip.profile.stackLevel;
    if (!best || level > best.level || (level === best.level && limit < best.limitW))
      best = { level, limitW: limit, id: ip.profile.id };
  }
  return best && { limitW: best.limitW, id: best.id };
}

/** The composite limit (W) at `nowMs` and the profiles it comes from; null limit = none applies. */
export function compositeLimitW(
  profiles: readonly InstalledProfile[],
  evseId: number,
  nowMs: number,
  tx: TxContext | null,
): { limitW: number | null; ids: number[] } {
  const tx1 = purposeLimitW(profiles, "TxProfile", evseId, nowMs, tx);
  const parts = [
    purposeLimitW(profiles, "ChargingStationMaxProfile", evseId, nowMs, tx),
    purposeLimitW(profiles, "ChargingStationExternalConstraints", evseId, nowMs, tx),
    tx1 ?? purposeLimitW(profiles, "TxDefaultProfile", evseId, nowMs, tx),
  ].filter((x): x is { limitW: number; id: number } => x !== null);
  if (parts.length === 0) return { limitW: null, ids: [] };
  return { limitW: Math.min(...parts.map((x) => x.limitW)), ids: parts.map((x) => x.id) };
}

/** The horizon of a composite schedule (s): the next 24 h, the day an ISO 15118 schedule covers. */
export const COMPOSITE_HORIZON_S = DAY_S;

/** Where one profile's limit may change (ms): its start, period starts, end of duration, validity bounds. */
function profileBreaks(ip: InstalledProfile, fromMs: number, toMs: number, tx: TxContext | null): number[] {
  const p = ip.profile;
  const s = p.chargingSchedule[0];
  if (!s) return [];
  const out: number[] = [];
  for (const v of [p.validFrom, p.validTo]) if (v !== undefined) out.push(Date.parse(v));
  const start = scheduleStart(ip, tx);
  if (start === null) return out;
  const offsetsS = [0, ...s.chargingSchedulePeriod.map((x) => x.startPeriod)];
  if (s.duration !== undefined) offsetsS.push(s.duration);
  const cycleMs =
    p.chargingProfileKind === "Recurring" ? (p.recurrencyKind === "Weekly" ? WEEK_S : DAY_S) * 1000 : null;
  // a recurring profile repeats every cycle from its start: the cycles that overlap [fromMs, toMs)
  const first = cycleMs === null ? 0 : Math.max(0, Math.floor((fromMs - start) / cycleMs));
  const last = cycleMs === null ? 0 : Math.max(0, Math.ceil((toMs - start) / cycleMs));
  for (let k = first; k <= last; k++)
    for (const o of offsetsS) {
      // a period past the cycle belongs to no cycle (elapsed time is taken modulo the cycle)
      if (cycleMs !== null && o * 1000 > cycleMs) continue;
      out.push(start + k * (cycleMs ?? 0) + o * 1000);
    }
  return out;
}

/**
 * The composite schedule over the next `horizonS` seconds from `nowMs` (OCPP 2.0.1 Part 2 K08 Get Composite
 * Schedule; K15 hands it to the ISO 15118 SECC as its SAScheduleList / PowerSchedule): the periods, the first
 * at 0, each the {@link compositeLimitW} from its start to the next one's (neighbours with the same limit
 * merged). It changes only where some profile's limit may change, so it is evaluated at those instants.
 */
export function compositeSchedule(
  profiles: readonly InstalledProfile[],
  evseId: number,
  nowMs: number,
  tx: TxContext | null,
  horizonS = COMPOSITE_HORIZON_S,
): SchedulePeriod[] {
  const endMs = nowMs + horizonS * 1000;
  const breaks = new Set<number>([nowMs]);
  for (const ip of profiles)
    for (const t of profileBreaks(ip, nowMs, endMs, tx)) if (t > nowMs && t < endMs) breaks.add(t);
  const out: SchedulePeriod[] = [];
  for (const t of [...breaks].sort((a, b) => a - b)) {
    const { limitW } = compositeLimitW(profiles, evseId, t, tx);
    if (out.length > 0 && out[out.length - 1]!.limitW === limitW) continue;
    out.push({ startS: (t - nowMs) / 1000, limitW });
  }
  return out;
}

/** The limit of a composite schedule `atS` seconds after its start (null: no limit, or before/after it). */
export function scheduleLimitAt(periods: readonly SchedulePeriod[], atS: number): number | null {
  let limit: number | null = null;
  for (const p of periods) if (p.startS <= atS) limit = p.limitW;
  return limit;
}

/**
 * Why a SetChargingProfile cannot be installed (a StatusInfoType reasonCode, ≤ 20 characters, and a
 * text), or null: ChargingStationMaxProfile only on evseId 0, a TxProfile only for the running transaction,
 * limits in W (this DC station limits power), periods starting at 0 in ascending order.
 */
export function profileProblem(
  evseId: number,
  p: ChargingProfile,
  stationEvseId: number,
  tx: TxContext | null,
): { reasonCode: string; text: string } | null {
  if (evseId !== 0 && evseId !== stationEvseId)
    return { reasonCode: "UnknownEvse", text: `evseId ${evseId}: this station has EVSE ${stationEvseId}` };
  if (p.chargingProfilePurpose === "ChargingStationMaxProfile" && evseId !== 0)
    return { reasonCode: "InvalidEvse", text: "ChargingStationMaxProfile: evseId must be 0 (K01)" };
  if (p.chargingProfilePurpose === "TxProfile") {
    if (evseId === 0) return { reasonCode: "InvalidEvse", text: "TxProfile: evseId must not be 0 (K01)" };
    if (!tx) return { reasonCode: "TxNotFound", text: "TxProfile: no transaction is running (K01)" };
    if (p.transactionId !== undefined && p.transactionId !== tx.transactionId)
      return { reasonCode: "TxNotFound", text: `TxProfile: transactionId ${p.transactionId} is not running` };
  }
  if (p.chargingProfileKind === "Recurring" && p.recurrencyKind === undefined)
    return { reasonCode: "InvalidSchedule", text: "Recurring profile without recurrencyKind" };
  const s = p.chargingSchedule[0];
  if (!s) return { reasonCode: "InvalidSchedule", text: "chargingSchedule is empty" };
  if (s.chargingRateUnit !== "W")
    return {
      reasonCode: "UnsupportedRateUnit",
      text: "chargingRateUnit A: this DC station limits power (W)",
    };
  const periods = s.chargingSchedulePeriod;
  if (periods[0]?.startPeriod !== 0)
    return { reasonCode: "InvalidSchedule", text: "the first chargingSchedulePeriod must start at 0" };
  for (let i = 1; i < periods.length; i++)
    if (periods[i]!.startPeriod <= periods[i - 1]!.startPeriod)
      return { reasonCode: "InvalidSchedule", text: "chargingSchedulePeriod startPeriod not ascending" };
  if (periods.some((x) => !(x.limit >= 0)))
    return { reasonCode: "InvalidSchedule", text: "chargingSchedulePeriod limit must be ≥ 0" };
  return null;
}
