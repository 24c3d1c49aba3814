/**
 * ISO 15118-20 PowerDeliveryReq (ChargeProgress Start with an EVPowerProfile of the session's control mode —
 * Scheduled: the selected ScheduleTupleID — or Stop) / Res (EVSEStatus), digest §3.3. In a BPT session the
 * EV selects its channel (BPT_ChannelSelection Charge or Discharge) and a discharging EV's profile power is
 * negative (digest §6.2).
 */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { dischargingNow } from "../../session/evcc-state.js";
import { isBptService } from "../../session/iso20-session.js";
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
    if (s.progress !== "start") return { EVProcessing: "Finished", ChargeProgress: "Stop" };
    const dynamic = evcc20(s).controlMode === "dynamic";
    const discharge = dischargingNow(s);
    const power = discharge ? -s.readings.maxDischargePowerW : s.readings.maxPowerW;
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
    };
  },
  read: (r: iso20Common.PowerDeliveryResType) => ({
    code: r.ResponseCode,
    evse: readEvseStatus(r.EVSEStatus),
  }),
};
