/**
 * Helpers of the EVCC catalogue (`--sut evcc`, the car under test; nacs plays the SECC): the case shape,
 * the vocabulary that differs between DIN 70121 and ISO 15118-2 DC, and the EV-side limits the cases cite
 * (V2G_EVCC_Msg_Timeout per message and the phase timers, DIN 70121 / ISO 15118-2 timing tables).
 */
import {
  V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2014_MS,
  V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS,
  V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS,
  V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_DIN_MS,
  V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO2_MS,
} from "../../v2g/session/timeouts.js";
import type { CaseGroup, ConformanceCase, ConformanceProtocol, Expectation, FieldValue } from "../types.js";

/** A case with the car (EVCC) under test on one protocol. */
export function evccCase(
  protocol: ConformanceProtocol,
  group: CaseGroup,
  c: Omit<ConformanceCase, "sut" | "protocols" | "group">,
): ConformanceCase {
  return { ...c, sut: "evcc", protocols: [protocol], group };
}

/**
 * How soon the car must have ended the session after a response that ends it (a FAILED code, another
 * session's ID, a malformed message, the connection lost): the default V2G_EVCC_Msg_Timeout (2 s), the
 * longest the car may take to notice anything on the wire. Design choice (D): the standards name no
 * separate figure.
 */
export const EVCC_REACTION_MS = V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS;

/** The car ends the session (no request but `allow`), S2 open and current off, within `withinMs`. */
export function evEnds(
  withinMs = EVCC_REACTION_MS,
  allow?: string[],
  notBeforeMs?: number,
): Extract<Expectation, { kind: "ev-ends" }> {
  return {
    kind: "ev-ends",
    withinMs,
    ...(allow && { allow }),
    ...(notBeforeMs !== undefined && { notBeforeMs }),
  };
}

/** What differs between DIN 70121 and ISO 15118-2 DC in the EVCC cases. */
export interface EvccVocabulary {
  protocol: "din" | "iso2";
  standard: string;
  /** DIN ContractAuthentication, ISO 15118-2 Authorization. */
  authorization: string;
  /** The PowerDeliveryReq field and value of a stop (DIN ReadyToChargeState false, ISO ChargeProgress Stop). */
  stopField: { path: string; value: FieldValue };
  /** ServiceDiscoveryRes: the payment options path. */
  paymentOptions: string;
  /** ServiceDiscoveryRes: the energy transfer offered, path and an AC-only value. */
  energyOffer: { path: string; acOnly: FieldValue };
  /** V2G_EVCC_Msg_Timeout of CurrentDemandReq and of PowerDeliveryReq (ms). */
  currentDemandTimeoutMs: number;
  powerDeliveryTimeoutMs: number;
  /** V2GTP header clause and TCP clause. */
  v2gtpClause: string;
  tcpClause: string;
}

export const DIN_EVCC: EvccVocabulary = {
  protocol: "din",
  standard: "DIN 70121",
  authorization: "ContractAuthentication",
  stopField: { path: "ReadyToChargeState", value: false },
  paymentOptions: "PaymentOptions.PaymentOption",
  energyOffer: { path: "ChargeService.EnergyTransferType", acOnly: "AC_single_phase_core" },
  currentDemandTimeoutMs: V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2014_MS,
  powerDeliveryTimeoutMs: V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_DIN_MS,
  v2gtpClause: "DIN 70121 §8.7.3",
  tcpClause: "DIN 70121 V2G transport: TCP connection",
};

export const ISO2_EVCC: EvccVocabulary = {
  protocol: "iso2",
  standard: "ISO 15118-2",
  authorization: "Authorization",
  stopField: { path: "ChargeProgress", value: "Stop" },
  paymentOptions: "PaymentOptionList.PaymentOption",
  energyOffer: {
    path: "ChargeService.SupportedEnergyTransferMode.EnergyTransferMode",
    acOnly: ["AC_single_phase_core"],
  },
  currentDemandTimeoutMs: V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS,
  powerDeliveryTimeoutMs: V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO2_MS,
  v2gtpClause: "ISO 15118-2 §7.8.3",
  tcpClause: "ISO 15118-2 §7.7 (V2G transport: TCP connection)",
};
