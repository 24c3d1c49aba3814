/**
 * TEST-ONLY: the catalogue of defects that can be injected into our own EVCC (the EV side), for the
 * mutation check of the conformance harness with the car under test (`nacs conformance --sut evcc`): an EV
 * variant with one defect must make at least one EVCC conformance case fail. A defect is switched on by the
 * single optional field `EvccConfig.defect` (absent: no change); it is read only at the places marked
 * `TEST-ONLY defect` (evcc.ts, evcc-flow.ts, the EV DC controller). `nacs ev --defect NAME` refuses to run
 * without `--lab`. Never set one outside a test. Pure data; platform-neutral.
 */

/** One defect: what our EVCC then does wrong, and the rule it breaks. */
export interface EvccDefect {
  breaks: string;
  rule: string;
}

/** The defects, by name. */
export const EVCC_DEFECTS = {
  "ignore-failed-response": {
    breaks: "a response with a FAILED* ResponseCode is taken as OK: the session goes on",
    rule: "DIN 70121 / ISO 15118-2 ResponseCode FAILED*: the EVCC ends the session (opens its contactors and S2)",
  },
  "no-message-timeout": {
    breaks: "V2G_EVCC_Msg_Timeout never armed: the EV waits for a missing response for ever",
    rule: "DIN 70121 / ISO 15118-2 V2G_EVCC_Msg_Timeout",
  },
  "accept-wrong-session-id": {
    breaks: "the SessionID of a response is not checked: a response of another session is acted on",
    rule: "DIN 70121 / ISO 15118-2 MessageHeader SessionID (the one SessionSetupRes assigned)",
  },
  "ignore-emergency-shutdown": {
    breaks:
      "EVSEStatusCode EVSE_EmergencyShutdown / EVSE_Shutdown / EVSE_Malfunction in the charge loop ignored: the EV keeps drawing",
    rule: "DIN 70121 / ISO 15118-2 DC_EVSEStatusCode (the EV stops charging on a shutdown status)",
  },
  "no-sdp-retry": {
    breaks: "one SDP request only: an unanswered one is not repeated",
    rule: "ISO 15118-2 §7.10.1 / DIN 70121 SDP (the EVCC repeats an unanswered request after 250 ms)",
  },
} as const satisfies Record<string, EvccDefect>;

/** The name of an EVCC defect. */
export type EvccDefectName = keyof typeof EVCC_DEFECTS;

/** The defect names, in catalogue order. */
export const EVCC_DEFECT_NAMES = Object.keys(EVCC_DEFECTS) as EvccDefectName[];
