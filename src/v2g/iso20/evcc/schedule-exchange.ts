/**
 * ISO 15118-20 ScheduleExchangeReq (the session's control mode with the EV's energy requests) / Res
 * (EVSEProcessing; Scheduled: the first ScheduleTuple's ID is the one PowerDelivery selects).
 */
import { energyToSocWh, wantsDischarge } from "../../session/evcc-ac20.js";
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { evccDepartureTimeS } from "../../session/evcc-state.js";
import { rn } from "../envelope.js";
import { type Body, departureTime, energyRequestWh, type iso20Common } from "./common.js";

/** MaximumSupportingPoints the EV accepts (12..1024, XSD) — implementation choice. */
export const ISO20_MAX_SUPPORTING_POINTS = 24;

/** EVCC side of ScheduleExchange. */
export const scheduleExchange: EvccMessage = {
  name: "ScheduleExchange",
  req: "ScheduleExchangeReq",
  res: "ScheduleExchangeRes",
  build(s): Body<iso20Common.ScheduleExchangeReqType> {
    const wh = energyRequestWh(s);
    const i = evcc20(s);
    // a bidirectional EV above its minimum SOC can give energy: a negative minimum request (as Josev sends)
    const minWh = wantsDischarge(s, i) ? Math.min(0, energyToSocWh(s, s.readings.minSocPercent)) : 0;
    const requests = {
      EVTargetEnergyRequest: rn(wh),
      EVMaximumEnergyRequest: rn(wh),
      EVMinimumEnergyRequest: rn(minWh),
    };
    if (i.controlMode === "dynamic")
      return {
        MaximumSupportingPoints: ISO20_MAX_SUPPORTING_POINTS,
        Dynamic_SEReqControlMode: {
          DepartureTime: evccDepartureTimeS(s) ?? 0,
          TargetSOC: Math.round(Math.min(100, s.readings.fullSocPercent)),
          ...requests,
        },
      };
    return {
      MaximumSupportingPoints: ISO20_MAX_SUPPORTING_POINTS,
      Scheduled_SEReqControlMode: {
        ...departureTime(s),
        ...requests,
      },
    };
  },
  read(r: iso20Common.ScheduleExchangeResType) {
    const tuple = r.Scheduled_SEResControlMode?.ScheduleTuple[0];
    return {
      code: r.ResponseCode,
      processing: r.EVSEProcessing,
      evse: tuple ? { saScheduleTupleId: tuple.ScheduleTupleID } : {},
    };
  },
};
