/**
 * ISO 15118-20 PowerDeliveryReq → Res (ISO 15118-20 digest §3.2/§3.3): EVProcessing Ongoing → OK and nothing
 * happens (the EV sends another PowerDeliveryReq); Start / Stop as ISO-2 DC (current flows with the charge loop;
 * Stop ramps to 0 A and keeps the contactors for welding detection). Scheduled: the selected ScheduleTupleID
 * must be the offered one (FAILED_ScheduleSelectionInvalid). Standby → WARNING_StandbyNotAllowed;
 * ScheduleRenegotiation → WARNING_ScheduleRenegotiationFailed (not supported, digest §7.4).
 */
import { onPowerDelivery } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type Body, evProcessing, evseStatus, type iso20Common, session20, with20 } from "./common.js";
import {
  ISO20_SCHEDULE_RENEGOTIATION_ANSWER,
  ISO20_SCHEDULE_RENEGOTIATION_SUPPORTED,
  ISO20_STANDBY_ANSWER,
  ISO20_STANDBY_SUPPORTED,
} from "./unsupported.js";

function response(s: SeccState, code: iso20Common.responseCodeType): Body<iso20Common.PowerDeliveryResType> {
  const st = evseStatus(s);
  return st ? { ResponseCode: code, EVSEStatus: st } : { ResponseCode: code };
}

/** SECC handler of PowerDeliveryReq. */
export const powerDelivery: SeccHandler = {
  name: "PowerDelivery",
  res: "PowerDeliveryRes",
  handle(s, req: iso20Common.PowerDeliveryReqType, _ctx, fx) {
    const processing = evProcessing(req.EVProcessing);
    if (req.ChargeProgress === "Standby" && !ISO20_STANDBY_SUPPORTED)
      return { state: s, body: response(s, ISO20_STANDBY_ANSWER), processing: "Finished" };
    if (req.ChargeProgress === "ScheduleRenegotiation" && !ISO20_SCHEDULE_RENEGOTIATION_SUPPORTED)
      return { state: s, body: response(s, ISO20_SCHEDULE_RENEGOTIATION_ANSWER), processing: "Finished" };
    const tuple = req.EVPowerProfile?.Scheduled_EVPPTControlMode?.SelectedScheduleTupleID;
    if (
      req.ChargeProgress === "Start" &&
      session20(s).controlMode === "scheduled" &&
      tuple !== undefined &&
      tuple !== s.cfg.saScheduleTupleId
    )
      return { state: s, body: response(s, "FAILED_ScheduleSelectionInvalid"), processing };
    if (processing === "Ongoing") return { state: s, body: response(s, "OK"), processing };
    const start = req.ChargeProgress === "Start";
    // BPT: the channel the EV selected (ISO 15118-20 digest §6.1); the loop requests carry the set points
    const channel = start && req.BPT_ChannelSelection === "Discharge" ? "Discharge" : "Charge";
    const st = onPowerDelivery(with20(s, { channel }), start ? "start" : "stop", false, fx);
    return { state: st, body: response(st, "OK"), processing };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
