/**
 * Helpers that keep the catalogue files data-like: the SECC-under-test case shape, the common
 * expectations, and the PhysicalValue literal of DIN 70121 / ISO 15118-2 (Value × 10^Multiplier, Unit).
 */
import type {
  CaseEv,
  CaseGroup,
  ConformanceCase,
  ConformanceProtocol,
  Expectation,
  FieldCheck,
  FieldValue,
  LimitRef,
  MessageRef,
  TesterBehaviour,
} from "../types.js";

/** A case with the SECC under test on one protocol. */
export function seccCase(
  protocol: ConformanceProtocol,
  group: CaseGroup,
  c: {
    id: string;
    title: string;
    requirement: string[];
    tester: TesterBehaviour;
    expect: Expectation;
    transport?: "tls" | "tcp";
    knownDeviation?: string;
    ev?: CaseEv;
    tlsCredential?: "untrusted-vehicle";
    needsReceipts?: boolean;
  },
): ConformanceCase {
  return { ...c, sut: "secc", protocols: [protocol], group };
}

/** The `n`-th request named `message`. */
export const at = (message: string, occurrence = 1): MessageRef => ({ message, occurrence });

/** A PhysicalValue with multiplier 0. */
export const pv = (value: number, unit: string): FieldValue => ({ Multiplier: 0, Unit: unit, Value: value });

/**
 * An ISO 15118-20 RationalNumber (Value × 10^Exponent; Value an xs:short): exponent 0, or the smallest
 * exponent that makes a whole number fit.
 */
export function rn(value: number): FieldValue {
  let exponent = 0;
  let v = value;
  while (Math.abs(v) > 32767) {
    v /= 10;
    exponent++;
  }
  return { Exponent: exponent, Value: Math.round(v) };
}

/** The response `response` with one of `codes`, then the SECC ends the session (closes the connection). */
export function failedThenClose(
  response: string,
  codes: string[],
  within: LimitRef = "sequenceTimeout",
): Expectation {
  return { kind: "response", response, codes, thenClose: { withinMs: within } };
}

/** The response `response` with one of `codes`, and the session goes on. */
export function answered(response: string, codes: string[], fields?: FieldCheck[]): Expectation {
  return { kind: "response", response, codes, continues: true, ...(fields && { fields }) };
}

/**
 * What differs between DIN 70121 and ISO 15118-2 DC in the cases that are otherwise the same: the
 * protocol, how its citations are written, and two message names.
 */
export interface SeccVocabulary {
  protocol: "din" | "iso2";
  /** Prefix of a citation by clause or name: "DIN 70121" / "ISO 15118-2". */
  standard: string;
  /** DIN ServicePaymentSelection, ISO 15118-2 PaymentServiceSelection. */
  paymentSelection: string;
  /** DIN ContractAuthentication, ISO 15118-2 Authorization. */
  authorization: string;
  /** The V2GTP header clause (DIN 70121 §8.7.3, ISO 15118-2 §7.8.3). */
  v2gtpClause: string;
  /** The TCP connection clause (ISO 15118-2 §7.7; DIN 70121 by name). */
  tcpClause: string;
  /** Citations of FAILED_SequenceError and of FAILED_UnknownSession. */
  sequenceError: string[];
  unknownSession: string;
}

export const DIN_VOCABULARY: SeccVocabulary = {
  protocol: "din",
  standard: "DIN 70121",
  paymentSelection: "ServicePaymentSelection",
  authorization: "ContractAuthentication",
  v2gtpClause: "DIN 70121 §8.7.3",
  tcpClause: "DIN 70121 V2G transport: TCP connection",
  sequenceError: ["DIN 70121 ResponseCode FAILED_SequenceError"],
  unknownSession: "DIN 70121 ResponseCode FAILED_UnknownSession",
};

export const ISO2_VOCABULARY: SeccVocabulary = {
  protocol: "iso2",
  standard: "ISO 15118-2",
  paymentSelection: "PaymentServiceSelection",
  authorization: "Authorization",
  v2gtpClause: "ISO 15118-2 §7.8.3",
  tcpClause: "ISO 15118-2 §7.7 (V2G transport: TCP connection)",
  sequenceError: ["[V2G2-538]", "[V2G2-539]", "[V2G2-459]"],
  unknownSession: "ISO 15118-2 ResponseCode FAILED_UnknownSession",
};
