/** Shared pieces of the ISO 15118-20 EVCC messages: EVSEStatus in neutral terms, energy request, types. */
import type { iso20Common, iso20Dc } from "../../../codecs/index.js";
import { type EvccState, type EvseView, evccDepartureTimeS } from "../../session/evcc-state.js";

export type { iso20Common, iso20Dc };
/** A request body as a builder makes it: the envelope adds the Header. */
export type Body<T> = Omit<T, "Header">;

/**
 * EVSEStatus in neutral terms (ISO 15118-20 EVSENotification): Terminate asks the EV to stop charging (the
 * neutral StopCharging, then SessionStop Terminate); Pause to stop and pause (SessionStop Pause);
 * ScheduleRenegotiation to fetch a new schedule (the neutral ReNegotiation; Scheduled mode, flow
 * unconfirmed); other notifications are not acted upon; no EVSEStatus = no notification.
 */
export function readEvseStatus(st: iso20Common.EVSEStatusType | undefined): Partial<EvseView> {
  if (!st) return { notification: "None", notificationMaxDelayS: 0 };
  const n = st.EVSENotification;
  const notification =
    n === "Terminate"
      ? "StopCharging"
      : n === "Pause"
        ? "Pause"
        : n === "ScheduleRenegotiation"
          ? "ReNegotiation"
          : "None";
  return { notification, notificationMaxDelayS: st.NotificationMaxDelay };
}

/** The optional DepartureTime field (s from now) of a -20 request, when the EV has a departure time. */
export function departureTime(s: EvccState): { DepartureTime?: number } {
  const d = evccDepartureTimeS(s);
  return d === undefined ? {} : { DepartureTime: d };
}

/** Energy (Wh) from the present SOC to the full SOC. */
export function energyRequestWh(s: EvccState): number {
  const r = s.readings;
  return Math.round(Math.max(0, ((r.fullSocPercent - r.socPercent) / 100) * r.capacityWh));
}
