/**
 * ISO 15118-20 PowerDeliveryReq → Res (as in libiso15118, Josev): EVProcessing Ongoing → OK and nothing
 * happens (the EV sends another PowerDeliveryReq); Start / Stop as ISO-2 DC (current flows with the charge loop;
 * Stop ramps to 0 A and keeps the contactors for welding detection). Scheduled: the selected ScheduleTupleID
 * must be the offered one (FAILED_ScheduleSelectionInvalid). Standby → WARNING_StandbyNotAllowed;
 * ScheduleRenegotiation → back to ScheduleExchange in Scheduled mode when `iso20ScheduleRenegotiation` is on
 * (the output stays on), else WARNING_ScheduleRenegotiationFailed (flow unconfirmed). AC services: Start
 * closes the contactor once CP is C/D (now, or when the EV switches to C, [V2G20-847]), Stop opens it; the
 * BPT services take the direction from BPT_ChannelSelection (ISO 15118-20 XSD; Charge when absent).
 */
import { isAcService, isBptService } from "../../session/iso20-session.js";
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
    if (req.ChargeProgress === "ScheduleRenegotiation") {
      // renegotiation (flow unconfirmed): only in Scheduled mode from the loop, if switched on; else WARNING
      const ok =
        (ISO20_SCHEDULE_RENEGOTIATION_SUPPORTED || s.cfg.iso20ScheduleRenegotiation) &&
        session20(s).controlMode === "scheduled" &&
        s.powerDelivery === "start";
      if (!ok)
        return { state: s, body: response(s, ISO20_SCHEDULE_RENEGOTIATION_ANSWER), processing: "Finished" };
      if (processing === "Ongoing") return { state: s, body: response(s, "OK"), processing };
      const st = onPowerDelivery(s, "renegotiate", isAcService(session20(s).serviceId), fx);
      return { state: st, body: response(st, "OK"), processing };
    }
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
    // BPT: the channel the EV selected (BPT_ChannelSelection); the DC loop requests carry the set points
    const i20 = session20(s);
    const s1 =
      start && isBptService(i20.serviceId)
        ? with20(s, { bptChannel: req.BPT_ChannelSelection === "Discharge" ? "Discharge" : "Charge" })
        : s;
    const st = onPowerDelivery(s1, start ? "start" : "stop", isAcService(i20.serviceId), fx);
    return { state: st, body: response(st, "OK"), processing };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
