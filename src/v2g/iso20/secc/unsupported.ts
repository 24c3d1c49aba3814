/**
 * What this SECC does not support in ISO 15118-20 and how it answers (codes of the -20 responseCodeType;
 * Standby and schedule renegotiation behaviour unconfirmed, service renegotiation [V2G20-1477]): Standby
 * (PowerDelivery ChargeProgress Standby), schedule renegotiation (PowerDelivery ChargeProgress
 * ScheduleRenegotiation) and service renegotiation (SessionStop ChargingSession ServiceRenegotiation). Named
 * here so that a later implementation changes one place; the session goes on after the WARNING answers (the
 * EV keeps charging) and ends after the FAILED one (FAILED* is fatal, ISO 15118-20 §8.6).
 */
import type { iso20Common } from "../../../codecs/index.js";

/** Standby is not supported (libiso15118 answers the same; Josev has a `standby_allowed` switch). */
export const ISO20_STANDBY_SUPPORTED = false;
/** Answer to PowerDeliveryReq(Standby) while Standby is unsupported (as libiso15118 and EVerest do). */
export const ISO20_STANDBY_ANSWER: iso20Common.responseCodeType = "WARNING_StandbyNotAllowed";
/**
 * Schedule renegotiation is not supported unless the SECC configuration turns it on (`iso20ScheduleRenegotiation`,
 * Scheduled mode only; the flow is unconfirmed and no public stack implements it).
 */
export const ISO20_SCHEDULE_RENEGOTIATION_SUPPORTED = false;
/** Answer to PowerDeliveryReq(ScheduleRenegotiation) while unsupported (flow unconfirmed). */
export const ISO20_SCHEDULE_RENEGOTIATION_ANSWER: iso20Common.responseCodeType =
  "WARNING_ScheduleRenegotiationFailed";
/** ServiceDiscoveryRes ServiceRenegotiationSupported ([V2G20-1477]). */
export const ISO20_SERVICE_RENEGOTIATION_SUPPORTED = false;
/** Answer to SessionStopReq(ServiceRenegotiation) while unsupported (as libiso15118 answers). */
export const ISO20_SERVICE_RENEGOTIATION_ANSWER: iso20Common.responseCodeType =
  "FAILED_NoServiceRenegotiationSupported";
