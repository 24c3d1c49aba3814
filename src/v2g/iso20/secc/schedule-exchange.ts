/**
 * ISO 15118-20 ScheduleExchangeReq → Res (ISO 15118-20 digest §3.3): the control-mode element must match the
 * selected parameter set (else FAILED); Ongoing until the schedule is ready (the EV repeats). Scheduled: one
 * ScheduleTuple whose PowerSchedule allows the EVSE's maximum power for a day (AC services: the supply's), and
 * for AC_BPT a DischargingSchedule with the supply's discharge power, negative (digest §6.1/§6.2); Dynamic: the
 * empty Dynamic_SEResControlMode (no price schedule, digest §8 "Price schedule").
 */

import { isAcService, isBptService } from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds, type SeccState } from "../../session/secc-state.js";
import { rn } from "../envelope.js";
import { acSupplyPowerW, type Body, type iso20Common, session20 } from "./common.js";

/** PowerSchedule duration: one day (s) — implementation choice, as the ISO-2 SAScheduleList. */
export const ISO20_SCHEDULE_DURATION_S = 86_400;

/** One day at `powerW` from `anchor`. */
function daySchedule(anchor: bigint, powerW: number) {
  return {
    PowerSchedule: {
      TimeAnchor: anchor,
      PowerScheduleEntries: {
        PowerScheduleEntry: [{ Duration: ISO20_SCHEDULE_DURATION_S, Power: rn(powerW) }],
      },
    },
  };
}

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
  processing: "Finished" | "Ongoing",
  tMs: number,
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
          ChargingSchedule: daySchedule(anchor, ac ? supply.chargeW : s.readings.dc.maxPowerW),
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
    return { state: s, body: response(s, "OK", processing, ctx.tMs), processing };
  },
  failed: (s, code, tMs) => response(s, code as iso20Common.responseCodeType, "Finished", tMs),
};
