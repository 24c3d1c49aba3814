/**
 * TEST-ONLY: the catalogue of defects that can be injected into our own SECC, for the mutation check of the
 * conformance harness (`nacs conformance`): a SUT variant with one defect must make at least one conformance
 * case fail. The `iso20-*` defects touch ISO 15118-20 sessions only. A defect is switched on by the single optional field `SeccConfig.defect` (absent: no change);
 * it is read only at the places marked `TEST-ONLY defect` (secc.ts, the EVSE DC controller, the live EVSE
 * host). `nacs evse --defect NAME` refuses to run without `--lab` (a production charger cannot switch one
 * on by mistake). Never set one outside a test.
 *
 * Pure data and one pure rewrite of a response body; platform-neutral.
 */

/** One defect: what our SECC then does wrong, and the rule it breaks. */
export interface SeccDefect {
  /** What the SECC does with the defect. */
  breaks: string;
  /** The requirement it violates (standard, clause or requirement ID). */
  rule: string;
}

/** The defects, by name. */
export const SECC_DEFECTS = {
  "ok-on-sequence-error": {
    breaks:
      "no sequence check: a request out of sequence is handled as if expected (OK instead of FAILED_SequenceError)",
    rule: "DIN 70121 ResponseCode FAILED_SequenceError; ISO 15118-2 [V2G2-538]",
  },
  "accept-unknown-session": {
    breaks: "no SessionID check: a request with another SessionID is answered OK (not FAILED_UnknownSession)",
    rule: "DIN 70121 ResponseCode FAILED_UnknownSession; ISO 15118-2 [V2G2-540]",
  },
  "no-sequence-timeout": {
    breaks: "V2G_SECC_Sequence_Timeout never armed: a silent EV keeps the connection open",
    rule: "DIN 70121 V2G_SECC_Sequence_Timeout; ISO 15118-2 [V2G2-443]",
  },
  "early-sequence-timeout": {
    breaks: "V2G_SECC_Sequence_Timeout at half its figure: the SECC gives up on the EV too early",
    rule: "DIN 70121 V2G_SECC_Sequence_Timeout; ISO 15118-2 [V2G2-443]",
  },
  "slow-current-demand": {
    breaks: "CurrentDemandRes sent 400 ms late (DEFECT_SLOW_RESPONSE_MS), past V2G_SECC_Msg_Performance_Time",
    rule: "DIN 70121 / ISO 15118-2 V2G_SECC_Msg_Performance_Time (CurrentDemandRes)",
  },
  "no-charge-loop-watchdog": {
    breaks:
      "no charge-loop watchdog: the output stays on until the sequence timeout when the EV falls silent",
    rule: "DIN 70121 V2G_SECC_Sequence_Timeout (charge loop); IEC 61851-23 CC.4.1 (output off on loss of communication)",
  },
  "ignore-connection-loss": {
    breaks:
      "the power path ignores a lost V2G connection (and has no charge-loop watchdog): the output stays on until the sequence timeout",
    rule: "DIN 70121 V2G transport (TCP connection); IEC 61851-23 CC.4.1",
  },
  "ignore-ev-stop-cp": {
    breaks:
      "the power path ignores the EV opening S2 (CP C→B) in the charge loop: the output stays on while the session goes on",
    rule: "IEC 61851-1 Annex A sequence 8.1 (C→B: supply off ≤ 100 ms)",
  },
  "ignore-pp-unlatch": {
    breaks:
      "the power path ignores PP unlatched (the handle's release button pressed) in the charge loop: the output stays on",
    rule: "SAE J3400 proximity (PP unlatched: stop charging); IEC 61851-1 Annex A (supply off ≤ 100 ms)",
  },
  "accept-wrong-payload-type": {
    breaks: "V2GTP payload type not checked: a message of another payload type is decoded and answered",
    rule: "DIN 70121 §8.7.3; ISO 15118-2 §7.8.3 (V2GTP header)",
  },
  "ok-for-unoffered-service-id": {
    breaks: "ServiceDetailReq for a ServiceID never offered answered OK",
    rule: "DIN 70121 ResponseCode FAILED_ServiceIDInvalid; ISO 15118-2 [V2G2-425]",
  },
  "ok-for-unoffered-service-selection": {
    breaks: "a ServiceID never offered in the payment/service selection accepted",
    rule: "DIN 70121 ResponseCode FAILED_ServiceSelectionInvalid; ISO 15118-2 [V2G2-467]",
  },
  "ok-for-unoffered-energy-transfer": {
    breaks: "an energy transfer type never offered accepted in ChargeParameterDiscovery",
    rule: "DIN 70121 [V2G-DC-625]; ISO 15118-2 [V2G2-476]",
  },
  "ok-for-contract-payment": {
    breaks: "a payment option never offered (Contract on DIN) accepted",
    rule: "DIN 70121 [V2G-DC-252]; ISO 15118-2 [V2G2-465]",
  },
  "refuse-over-max-current": {
    breaks:
      "an EV target current above the EVSE maximum refused (FAILED_WrongChargeParameter) instead of clamped",
    rule: "DIN 70121 / ISO 15118-2 CurrentDemandRes EVSECurrentLimitAchieved",
  },
  "no-current-limit-achieved": {
    breaks: "EVSECurrentLimitAchieved never set, though the EVSE clamps the current",
    rule: "DIN 70121 / ISO 15118-2 CurrentDemandRes EVSECurrentLimitAchieved",
  },
  "no-voltage-limit-achieved": {
    breaks: "EVSEVoltageLimitAchieved never set, though the EVSE clamps the voltage",
    rule: "DIN 70121 / ISO 15118-2 CurrentDemandRes EVSEVoltageLimitAchieved",
  },
  "old-session-joined": {
    breaks: "SessionSetupRes OK_OldSessionJoined for a new session (DIN has no session resume)",
    rule: "DIN 70121 SessionSetupRes ResponseCode OK_NewSessionEstablished",
  },
  "wrong-response-type": {
    breaks: "ServicePaymentSelectionReq (DIN) answered with a SessionStopRes",
    rule: "DIN 70121 message sequence (each request answered by its response)",
  },
  "iso20-ok-for-unoffered-service": {
    breaks:
      "ISO 15118-20 ServiceSelectionReq for an energy service never offered answered OK (not FAILED_NoEnergyTransferServiceSelected)",
    rule: "ISO 15118-20 ResponseCode FAILED_NoEnergyTransferServiceSelected",
  },
  "iso20-accept-unknown-session": {
    breaks: "ISO 15118-20 only: no SessionID check, a request with another SessionID is answered OK",
    rule: "ISO 15118-20 [V2G20-460] (FAILED_UnknownSession)",
  },
  "iso20-slow-charge-loop": {
    breaks:
      "ISO 15118-20 DC_ChargeLoopRes sent 400 ms late (DEFECT_SLOW_RESPONSE_MS), past its performance time",
    rule: "ISO 15118-20 V2G_SECC_Msg_Performance_Time (DC_ChargeLoopRes, Table 217)",
  },
  "iso20-no-charge-loop-timeout": {
    breaks:
      "ISO 15118-20 charge loop waits the general V2G_SECC_Sequence_Timeout, not 0.5 s, for the EV's next ChargeLoopReq",
    rule: "ISO 15118-20 [V2G20-1500] / [V2G20-1502] (V2G_SECC_Sequence_Timeout_{DC,AC}_CL)",
  },
  "iso20-new-session-on-resume": {
    breaks:
      "ISO 15118-20 SessionSetupReq with the paused SessionID answered OK_NewSessionEstablished (the paused session is not resumed)",
    rule: "ISO 15118-20 SessionSetupRes OK_OldSessionJoined ([V2G20-1032], [V2G20-1844])",
  },
} as const satisfies Record<string, SeccDefect>;

/** The name of a defect. */
export type SeccDefectName = keyof typeof SECC_DEFECTS;

/** The defect names, in catalogue order. */
export const SECC_DEFECT_NAMES = Object.keys(SECC_DEFECTS) as SeccDefectName[];

/** Whether `name` is a defect of the catalogue. */
export function isSeccDefect(name: string): name is SeccDefectName {
  return Object.hasOwn(SECC_DEFECTS, name);
}

/**
 * How late `slow-current-demand` sends CurrentDemandRes (ms): well past its performance time (DIN 70121 /
 * ISO 15118-2: 25 ms) plus any measurement allowance, yet within the EV's own V2G_EVCC_Msg_Timeout.
 */
export const DEFECT_SLOW_RESPONSE_MS = 400;

/**
 * How late `iso20-slow-charge-loop` sends DC_ChargeLoopRes (ms): past its performance time (ISO 15118-20
 * Table 217: 0.25 s) plus a measurement allowance of the same size, yet within the EV's wait.
 */
export const DEFECT_SLOW_CHARGE_LOOP_MS = 700;

/** FAILED codes a defect answers with OK instead (the value checks it switches off). */
const OK_INSTEAD: Partial<Record<SeccDefectName, readonly string[]>> = {
  "ok-for-unoffered-service-id": ["FAILED_ServiceIDInvalid"],
  "ok-for-unoffered-service-selection": ["FAILED_ServiceSelectionInvalid"],
  "ok-for-unoffered-energy-transfer": ["FAILED_WrongEnergyTransferType"],
  "ok-for-contract-payment": ["FAILED_PaymentSelectionInvalid"],
  "iso20-ok-for-unoffered-service": ["FAILED_NoEnergyTransferServiceSelected"],
};

/**
 * TEST-ONLY: the response as `defect` distorts it (element name and body); unchanged without a defect or
 * for a response the defect does not touch.
 */
export function defectResponse<B extends { ResponseCode: string }>(
  defect: SeccDefectName | undefined,
  protocol: string,
  element: string,
  body: B,
): { element: string; body: B } {
  if (defect === undefined) return { element, body };
  const ok = OK_INSTEAD[defect];
  if (ok?.includes(body.ResponseCode)) return { element, body: { ...body, ResponseCode: "OK" } };
  const b = body as B & Record<string, unknown>;
  if (element === "CurrentDemandRes") {
    if (defect === "refuse-over-max-current" && b.EVSECurrentLimitAchieved === true)
      return { element, body: { ...b, ResponseCode: "FAILED_WrongChargeParameter" } };
    if (defect === "no-current-limit-achieved")
      return { element, body: { ...b, EVSECurrentLimitAchieved: false } };
    if (defect === "no-voltage-limit-achieved")
      return { element, body: { ...b, EVSEVoltageLimitAchieved: false } };
  }
  if (defect === "old-session-joined" && element === "SessionSetupRes" && body.ResponseCode.startsWith("OK"))
    return { element, body: { ...body, ResponseCode: "OK_OldSessionJoined" } };
  if (
    defect === "iso20-new-session-on-resume" &&
    protocol === "iso20" &&
    element === "SessionSetupRes" &&
    body.ResponseCode === "OK_OldSessionJoined"
  )
    return { element, body: { ...body, ResponseCode: "OK_NewSessionEstablished" } };
  if (defect === "wrong-response-type" && protocol === "din" && element === "ServicePaymentSelectionRes")
    return { element: "SessionStopRes", body: { ResponseCode: body.ResponseCode } as B };
  return { element, body };
}
