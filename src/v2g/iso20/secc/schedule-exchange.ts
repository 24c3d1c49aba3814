/**
 * ISO 15118-20 ScheduleExchangeReq → Res (ISO 15118-20 digest §3.3): the control-mode element must match the
 * selected parameter set (else FAILED); Ongoing until the schedule is ready (the EV repeats). Scheduled: one
 * ScheduleTuple whose PowerSchedule allows the EVSE's maximum power for a day; Dynamic: the empty
 * Dynamic_SEResControlMode (no price schedule, digest §8 "Price schedule").
 */

import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds, type SeccState } from "../../session/secc-state.js";
import { rn } from "../envelope.js";
import { type Body, type iso20Common, session20 } from "./common.js";

/** PowerSchedule duration: one day (s) — implementation choice, as the ISO-2 SAScheduleList. */
export const ISO20_SCHEDULE_DURATION_S = 86_400;

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
  processing: "Finished" | "Ongoing",
  tMs: number,
): Body<iso20Common.ScheduleExchangeResType> {
  if (session20(s).controlMode === "dynamic")
    return { ResponseCode: code, EVSEProcessing: processing, Dynamic_SEResControlMode: {} };
  return {
    ResponseCode: code,
    EVSEProcessing: processing,
    Scheduled_SEResControlMode: {
      ScheduleTuple: [
        {
          ScheduleTupleID: s.cfg.saScheduleTupleId,
          ChargingSchedule: {
            PowerSchedule: {
              TimeAnchor: epochSeconds(s, tMs),
              PowerScheduleEntries: {
                PowerScheduleEntry: [
                  { Duration: ISO20_SCHEDULE_DURATION_S, Power: rn(s.readings.dc.maxPowerW) },
                ],
              },
            },
          },
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
