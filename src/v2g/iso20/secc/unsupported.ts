/**
 * What this SECC does not support in ISO 15118-20 and how it answers (digest §3.3, §7.2, §7.4, §7.5, §10.4):
 * Standby (PowerDelivery ChargeProgress Standby), schedule renegotiation (PowerDelivery ChargeProgress
 * ScheduleRenegotiation) and service renegotiation (SessionStop ChargingSession ServiceRenegotiation). Named
 * here so that a later implementation changes one place; the session goes on after the WARNING answers (the
 * EV keeps charging) and ends after the FAILED one (FAILED* is fatal, digest §3.1).
 */
import type { iso20Common } from "../../../codecs/index.js";

/** Standby is not supported (libiso15118 answers the same; Josev has a switch, digest §7.2). */
export const ISO20_STANDBY_SUPPORTED = false;
/** Answer to PowerDeliveryReq(Standby) while Standby is unsupported (digest §3.3 PowerDelivery). */
export const ISO20_STANDBY_ANSWER: iso20Common.responseCodeType = "WARNING_StandbyNotAllowed";
/**
 * Schedule renegotiation is not supported unless the SECC configuration turns it on (`iso20ScheduleRenegotiation`,
 * Scheduled mode only; status U in the digest §7.4, no public stack implements it).
 */
export const ISO20_SCHEDULE_RENEGOTIATION_SUPPORTED = false;
/** Answer to PowerDeliveryReq(ScheduleRenegotiation) while unsupported (digest §7.4). */
export const ISO20_SCHEDULE_RENEGOTIATION_ANSWER: iso20Common.responseCodeType =
  "WARNING_ScheduleRenegotiationFailed";
/** ServiceDiscoveryRes ServiceRenegotiationSupported (digest §7.5). */
export const ISO20_SERVICE_RENEGOTIATION_SUPPORTED = false;
/** Answer to SessionStopReq(ServiceRenegotiation) while unsupported (digest §3.3 SessionStop, §7.5). */
export const ISO20_SERVICE_RENEGOTIATION_ANSWER: iso20Common.responseCodeType =
  "FAILED_NoServiceRenegotiationSupported";
