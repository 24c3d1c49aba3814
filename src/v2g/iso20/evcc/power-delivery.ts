/**
 * ISO 15118-20 PowerDeliveryReq (ChargeProgress Start with an EVPowerProfile of the session's control mode —
 * Scheduled: the selected ScheduleTupleID — or Stop, or ScheduleRenegotiation when the EVSE asked (flow
 * unconfirmed); BPT services: BPT_ChannelSelection Charge / Discharge) / Res (EVSEStatus). A discharging EV's
 * profile power is negative (as Josev sends it).
 */
import { evAcMaxChargeW, evAcMaxDischargeW } from "../../session/evcc-ac20.js";
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { isAcService, isBptService } from "../../session/iso20-session.js";
import { rn } from "../envelope.js";
import { type Body, type iso20Common, readEvseStatus } from "./common.js";

/** Duration of the one-entry EVPowerProfile (s) — implementation choice (a day, as the SECC's schedule). */
export const ISO20_POWER_PROFILE_DURATION_S = 86_400;

/** EVCC side of PowerDelivery. */
export const powerDelivery: EvccMessage = {
  name: "PowerDelivery",
  req: "PowerDeliveryReq",
  res: "PowerDeliveryRes",
  build(s): Body<iso20Common.PowerDeliveryReqType> {
    if (s.progress === "renegotiate")
      return { EVProcessing: "Finished", ChargeProgress: "ScheduleRenegotiation" };
    if (s.progress !== "start") return { EVProcessing: "Finished", ChargeProgress: "Stop" };
    const i = evcc20(s);
    const dynamic = i.controlMode === "dynamic";
    const discharge = i.bptChannel === "Discharge";
    // the profile's power: AC the on-board charger's, DC the battery's; negative when discharging (as Josev)
    const power = isAcService(i.serviceId)
      ? discharge
        ? -evAcMaxDischargeW(s)
        : evAcMaxChargeW(s)
      : discharge
        ? -s.readings.maxDischargePowerW
        : s.readings.maxPowerW;
    return {
      EVProcessing: "Finished",
      ChargeProgress: "Start",
      ...(isBptService(evcc20(s).serviceId) && { BPT_ChannelSelection: discharge ? "Discharge" : "Charge" }),
      EVPowerProfile: {
        TimeAnchor: BigInt(Math.floor(s.cfg.epochS + s.nowMs / 1000)),
        ...(dynamic
          ? { Dynamic_EVPPTControlMode: {} }
          : { Scheduled_EVPPTControlMode: { SelectedScheduleTupleID: s.evse.saScheduleTupleId } }),
        EVPowerProfileEntries: {
          EVPowerProfileEntry: [{ Duration: ISO20_POWER_PROFILE_DURATION_S, Power: rn(power) }],
        },
      },
      ...(isBptService(i.serviceId) && { BPT_ChannelSelection: discharge ? "Discharge" : "Charge" }),
    };
  },
  read: (r: iso20Common.PowerDeliveryResType) => ({
    code: r.ResponseCode,
    evse: readEvseStatus(r.EVSEStatus),
  }),
};
