/** Test support: the EV's request sequences of whole ISO 15118-20 sessions (repeats collapsed). */

/** An ISO 15118-20 AC (or AC_BPT) session with EIM, from the handshake to SessionStop. */
export const ISO20_AC_REQUEST_FLOW: readonly string[] = [
  "supportedAppProtocolReq",
  "SessionSetupReq",
  "AuthorizationSetupReq",
  "AuthorizationReq",
  "ServiceDiscoveryReq",
  "ServiceDetailReq",
  "ServiceSelectionReq",
  "AC_ChargeParameterDiscoveryReq",
  "ScheduleExchangeReq",
  "PowerDeliveryReq",
  "AC_ChargeLoopReq",
  "PowerDeliveryReq",
  "SessionStopReq",
];
