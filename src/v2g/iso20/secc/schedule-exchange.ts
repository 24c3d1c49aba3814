/**
 * ISO 15118-20 ScheduleExchangeReq → Res: the control-mode element must match the selected parameter set
 * (else FAILED); Ongoing until the schedule is ready (the EV repeats). Scheduled: one ScheduleTuple whose
 * PowerSchedule allows the EVSE's maximum power for a day (AC services: the supply's) — or, with a backend
 * power schedule, one PowerScheduleEntry per period (at most MaximumSupportingPoints) — and for AC_BPT a
 * DischargingSchedule with the supply's discharge power, negative (= discharge, as Josev and dSPACE send it);
 * Dynamic: the empty Dynamic_SEResControlMode (no price schedule: EVerest omits it too, despite
 * [V2G20-2176]).
 */

import { isAcService, isBptService } from "../../session/iso20-session.js";
import {
  MAX_SCHEDULE_ENTRIES,
  noteScheduleSent,
  type ScheduleEntry,
  scheduleEntries,
} from "../../session/power-schedule.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds, type SeccState } from "../../session/secc-state.js";
import { rn } from "../envelope.js";
import { acSupplyPowerW, type Body, type iso20Common, session20 } from "./common.js";

/** PowerSchedule duration: one day (s) — implementation choice, as the ISO-2 SAScheduleList. */
export const ISO20_SCHEDULE_DURATION_S = 86_400;

/** One day at `powerW` from `anchor`. */
function daySchedule(anchor: bigint, powerW: number) {
  return scheduleOf(anchor, [{ startS: 0, durationS: ISO20_SCHEDULE_DURATION_S, powerW }]);
}

/** A PowerSchedule of `entries` from `anchor` (a Duration each, ISO 15118-20 PowerScheduleEntryType). */
function scheduleOf(anchor: bigint, entries: readonly ScheduleEntry[]) {
  return {
    PowerSchedule: {
      TimeAnchor: anchor,
      PowerScheduleEntries: {
        PowerScheduleEntry: entries.map((e) => ({ Duration: e.durationS, Power: rn(e.powerW) })),
      },
    },
  };
}

/**
 * The ChargingSchedule: one day at the EVSE's maximum, or with a backend power schedule one entry per period
 * (the limit capped by the charger's rating), at most the EV's MaximumSupportingPoints and the schema's 1024.
 */
function chargingSchedule(s: SeccState, anchor: bigint, ac: boolean, maxPoints: number) {
  const sched = s.readings.powerSchedule;
  const supply = acSupplyPowerW(s);
  if (!sched) return daySchedule(anchor, ac ? supply.chargeW : s.readings.dc.maxPowerW);
  const rated = s.cfg.readings;
  const phases = s.cfg.energyModes.includes("AC_three_phase_core") ? 3 : 1;
  const ratedW = ac ? rated.ac.nominalVoltageV * rated.ac.maxCurrentA * phases : rated.dc.maxPowerW;
  const n = Math.max(1, Math.min(MAX_SCHEDULE_ENTRIES, maxPoints));
  return scheduleOf(anchor, scheduleEntries(sched, s.nowMs, ratedW, ISO20_SCHEDULE_DURATION_S, n));
}

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
  processing: "Finished" | "Ongoing",
  tMs: number,
  maxPoints = MAX_SCHEDULE_ENTRIES,
): Body<iso20Common.ScheduleExchangeResType> {
  const i = session20(s);
  if (i.controlMode === "dynamic")
    return { ResponseCode: code, EVSEProcessing: processing, Dynamic_SEResControlMode: {} };
  const anchor = epochSeconds(s, tMs);
  const ac = isAcService(i.serviceId);
  const supply = acSupplyPowerW(s);
  return {
    ResponseCode: code,
    EVSEProcessing: processing,
    Scheduled_SEResControlMode: {
      ScheduleTuple: [
        {
          ScheduleTupleID: s.cfg.saScheduleTupleId,
          ChargingSchedule: chargingSchedule(s, anchor, ac, maxPoints),
          ...(ac &&
            isBptService(i.serviceId) && { DischargingSchedule: daySchedule(anchor, -supply.dischargeW) }),
        },
      ],
    },
  };
}

/** SECC handler of ScheduleExchangeReq. */
export const scheduleExchange: SeccHandler = {
  name: "ScheduleExchange",
  res: "ScheduleExchangeRes",
  handle(s, req: iso20Common.ScheduleExchangeReqType, ctx) {
    const mode = session20(s).controlMode;
    const match = mode === "dynamic" ? req.Dynamic_SEReqControlMode : req.Scheduled_SEReqControlMode;
    if (!match) return { state: s, body: response(s, "FAILED", "Finished", ctx.tMs), processing: "Finished" };
    const processing = s.readings.scheduleReady ? "Finished" : "Ongoing";
    return {
      // the schedule the EV now has, to tell whether a later one needs a renegotiation
      state: processing === "Finished" ? noteScheduleSent(s) : s,
      body: response(s, "OK", processing, ctx.tMs, req.MaximumSupportingPoints),
      processing,
    };
  },
  failed: (s, code, tMs) => response(s, code as iso20Common.responseCodeType, "Finished", tMs),
};
